// kafkajs against a Borges broker: create a topic with the admin client, produce keyed records
// with headers to it (with and without compression), list topics. Prints a JSON summary.
// usage: node produce.js <bootstrap> <topic>
const { Kafka, CompressionTypes, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic] = process.argv.slice(2);
  const kafka = new Kafka({ clientId: 'borges-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  const topics = await admin.listTopics();
  await admin.disconnect();

  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const plain = await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: `key-${i}`, value: `value-${i}`, headers: { n: `${i}` } })),
  });
  const gzipped = await producer.send({
    topic,
    acks: -1,
    compression: CompressionTypes.GZIP,
    messages: Array.from({ length: 10 }, (_, i) => ({ partition: 1, key: `gz-${i}`, value: `gzipped-${i}` })),
  });
  await producer.disconnect();
  console.log(JSON.stringify({ created, topics, plain, gzipped }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
