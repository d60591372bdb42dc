// kafkajs' transactional producer against a Borges broker: one transaction committed across two
// partitions, one aborted, one more committed. Prints a JSON summary.
// usage: node transactional.js <bootstrap> <topic>
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic] = process.argv.slice(2);
  const kafka = new Kafka({ clientId: 'borges-kafkajs-txn', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer({ transactionalId: 'kafkajs-writer', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  const outcomes = [];
  for (const [name, commit] of [['first', true], ['dropped', false], ['second', true]]) {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [0, 1, 2].map((i) => ({ partition: i % 2, value: `${name}-${i}` })) });
    if (commit) {
      await transaction.commit();
    } else {
      await transaction.abort();
    }
    outcomes.push(`${name}:${commit ? 'committed' : 'aborted'}`);
  }
  await producer.disconnect();
  console.log(JSON.stringify({ outcomes }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
