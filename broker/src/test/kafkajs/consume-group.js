// kafkajs consumer group against a Borges broker: <members> consumers in one group read a topic
// until <expected> records have arrived, committing as they go, then leave. Prints one line per
// record received ("record <partition> <value>") and per member ("member <i> <partitions>").
// usage: node consume-group.js <bootstrap> <topic> <group> <expected> <members>
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic, groupId, expectedText, membersText] = process.argv.slice(2);
  const expected = Number(expectedText);
  const kafka = new Kafka({ clientId: 'borges-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const received = [];
  const partitionsByMember = {};
  const consumers = [];
  for (let i = 0; i < Number(membersText); i++) {
    // Short fetch waits: kafkajs heartbeats (and so learns of a rebalance) only between fetches.
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: 500, maxWaitTimeInMs: 250 });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      partitionsByMember[i] = (event.payload.memberAssignment[topic] || []).slice().sort();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({ member: i, partition, value: message.value.toString() });
      },
    });
    consumers.push(consumer);
  }
  const deadline = Date.now() + 60000;
  while (received.length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000)); // anything delivered twice shows up now
  for (const consumer of consumers) {
    await consumer.disconnect(); // commits what was consumed, then leaves the group
  }
  for (const r of received) {
    console.log(`record ${r.partition} ${r.value}`);
  }
  for (const [member, partitions] of Object.entries(partitionsByMember)) {
    console.log(`member ${member} ${partitions.join(',')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
