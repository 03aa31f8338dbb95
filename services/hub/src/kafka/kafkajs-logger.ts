import { type logCreator, logLevel } from 'kafkajs';
import { type Logger } from 'pino';

const levels: Record<logLevel, 'error' | 'warn' | 'info' | 'debug' | undefined> = {
  [logLevel.NOTHING]: undefined,
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Sends kafkajs's own log lines through the hub's pino logger instead of the console. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const method = levels[level];
      if (!method) return;
      const { message, ...fields } = log;
      child[method](fields, message);
    };
}
