/**
 * Cluster metadata: the records of the metadata log, the immutable image they build, and the
 * controller that commits them through Apache Ratis.
 */
package dev.borges.metadata;
