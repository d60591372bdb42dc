/**
 * Classic groups (JoinGroup / SyncGroup / Heartbeat / LeaveGroup): the group state machine
 * ({@link dev.borges.broker.group.classic.ClassicGroupState}, {@link dev.borges.broker.group.classic.ClassicGroup})
 * and the protocol over it ({@link dev.borges.broker.group.classic.ClassicGroupManager}).
 */
package dev.borges.broker.group.classic;
