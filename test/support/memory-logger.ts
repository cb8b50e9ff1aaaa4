/** A real pino logger whose JSON lines are kept in memory, for tests that read the logs. */
import { createLogger, type Logger } from '../../src/shared/logger';

export interface MemoryLogger {
  logger: Logger;
  lines: string[];
  text(): string;
}

export function memoryLogger(): MemoryLogger {
  const lines: string[] = [];
  const logger = createLogger('debug', {
    write: (line: string) => {
      lines.push(line);
    },
  });
  return { logger, lines, text: () => lines.join('') };
}
