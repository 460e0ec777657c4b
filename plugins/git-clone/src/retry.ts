// Exponential backoff with jitter around the network steps (fetch, submodule update), as upstream
// git-init does: wait min(initial * factor^n, max) plus a random part of up to half of that.

export interface RetryPolicy {
  /** Total attempts; 1 means no retry (git-init's default, and what the Task uses). */
  maxAttempts: number;
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** The wait before retry number `n` (0-based), without jitter. */
export function backoffMs(policy: RetryPolicy, n: number): number {
  return Math.min(policy.initialMs * policy.factor ** n, policy.maxMs);
}

export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  onRetry: (error: unknown, waitMs: number, attemptNo: number) => void,
  random: () => number = Math.random,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n + 1 >= policy.maxAttempts) throw e;
      const base = backoffMs(policy, n);
      const wait = base + (random() * base) / 2;
      onRetry(e, wait, n + 2);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
