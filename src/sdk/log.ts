// The step program's logger: levels, nested groups, and masking of every secret value.
// info/debug go to stdout, warning/error to stderr; lines inside a group are indented.
import { Masker } from './mask.js';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Prints `▶ name`, runs fn with its lines indented, then `◀ name (<ms> ms)` (or `failed`). */
  group<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Masks a value from now on (e.g. a token the program fetched). */
  addMask(value: string): void;
}

export interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function parseLogLevel(v: string | undefined): LogLevel {
  return v && v in RANK ? (v as LogLevel) : 'info';
}

export class StepLogger implements Logger {
  private depth = 0;

  constructor(
    readonly masker: Masker,
    private readonly sink: Sink,
    private readonly level: LogLevel = 'info',
  ) {}

  get isDebug(): boolean {
    return this.level === 'debug';
  }

  /** The current group indentation, applied to child process output too. */
  get indent(): string {
    return '  '.repeat(this.depth);
  }

  private line(level: LogLevel, prefix: string, message: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const text = this.masker.mask(`${prefix}${message}`);
    const lines = text.split('\n').map((l) => `${this.indent}${l}\n`).join('');
    if (level === 'warning' || level === 'error') this.sink.stderr(lines);
    else this.sink.stdout(lines);
  }

  debug(message: string): void {
    this.line('debug', '[debug] ', message);
  }
  info(message: string): void {
    this.line('info', '', message);
  }
  warning(message: string): void {
    this.line('warning', 'warning: ', message);
  }
  error(message: string): void {
    this.line('error', 'error: ', message);
  }

  async group<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    this.info(`▶ ${name}`);
    const started = performance.now();
    this.depth++;
    let ok = false;
    try {
      const value = await fn();
      ok = true;
      return value;
    } finally {
      this.depth--;
      const ms = Math.round(performance.now() - started);
      this.info(ok ? `◀ ${name} (${ms} ms)` : `◀ ${name} failed after ${ms} ms`);
    }
  }

  addMask(value: string): void {
    if (typeof value === 'string' && value !== '') this.masker.add(value);
  }
}
