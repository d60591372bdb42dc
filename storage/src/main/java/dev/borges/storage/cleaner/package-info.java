/**
 * Log compaction ({@code cleanup.policy=compact}): Kafka's log cleaner semantics on Borges'
 * partition logs. {@link dev.borges.storage.cleaner.LogCleaner} is the entry point (one synchronous,
 * clock-driven pass per call); {@link dev.borges.storage.cleaner.LogCleanerThread} runs it in the
 * background. Inside: {@code LogCleanerManager} chooses, {@code LogToClean} measures a log,
 * {@code Cleaner} runs the algorithm with an {@code OffsetMap} and a {@code BatchFilter}, and
 * {@code CleanerCheckpoints} owns the {@code cleaner-offset-checkpoint} files.
 */
package dev.borges.storage.cleaner;
