// Fetches the Kafka jars into the cache ahead of the test run (a no-op once cached), so the download
// shows up as its own step in CI logs instead of inside jest's global setup.
import { ensureKafkaJars } from './kafka.js';

console.log(`Kafka jars ready in ${ensureKafkaJars()}`);
