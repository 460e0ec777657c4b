// Go's time.Duration text form in the runner's unit (milliseconds, what timers take), over the
// nanosecond parser and formatter the validator already has.
import { formatGoDuration as formatNs, parseGoDuration as parseNs } from '../tekton/validate/duration.js';

/** Parses `1h30m`, `90s`, `1.5s`, `0`; returns milliseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const ns = parseNs(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/** Formats milliseconds as Go's Duration.String() does: `1h0m0s`, `1m30s`, `30s`, `1.5s`, `500ms`. */
export function formatGoDuration(ms: number): string {
  return formatNs(BigInt(Math.round(ms * 1e6)));
}
