export { TOPICS, type TopicName } from './topics.js';
