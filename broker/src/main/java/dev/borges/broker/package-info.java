/** The Borges broker: network server, request handlers, partitions, coordinators, configuration. */
package dev.borges.broker;
