/**
 * The records of {@code __consumer_offsets}: keys and values as bytes, documented in
 * {@link dev.borges.broker.group.record.GroupRecords}.
 */
package dev.borges.broker.group.record;
