// TaskRun status pieces in Tekton's exact words (§7.2, §7.3): condition reasons and messages.
import type { Condition } from './types.js';

export const REASON = {
  succeeded: 'Succeeded',
  stepFailed: 'StepFailed',
  validationFailed: 'TaskRunValidationFailed',
  resolutionFailed: 'TaskRunResolutionFailed',
  timeout: 'TaskRunTimeout',
  cancelled: 'TaskRunCancelled',
  configError: 'CreateContainerConfigError',
} as const;

/** `[User error] ` — the prefix Tekton puts on run-time validation failures. */
export const userError = (message: string): string => `[User error] ${message}`;

export function condition(status: Condition['status'], reason: string, message: string, at: string): Condition {
  return { type: 'Succeeded', status, reason, message, lastTransitionTime: at };
}

export const successCondition = (at: string): Condition => condition('True', REASON.succeeded, 'All Steps have completed executing', at);

export const stepExitedMessage = (container: string, code: number): string => `"${container}" exited with code ${code}`;

export const stepTimeoutMessage = (container: string): string =>
  `"${container}" exited because the step exceeded the specified timeout limit`;

export const taskRunTimeoutMessage = (name: string, duration: string): string => `TaskRun "${name}" failed to finish within "${duration}"`;

export const taskRunCancelledMessage = (name: string, statusMessage: string): string => `TaskRun "${name}" was cancelled. ${statusMessage}`;

export const podTerminatedMessage = (stepName: string, pod: string): string => `Step ${stepName} terminated as pod ${pod} is terminated`;

/** Go's fmt of a []string: `[a b c]`. */
export const goList = (items: readonly string[]): string => `[${items.join(' ')}]`;

/** Go's fmt of a map[string][]string: `map[k1:[a b] k2:[c]]`, keys sorted. */
export const goMapOfLists = (m: ReadonlyMap<string, readonly string[]>): string =>
  `map[${[...m.keys()].sort().map((k) => `${k}:${goList(m.get(k)!)}`).join(' ')}]`;

/** Kubernetes' second-precision RFC3339 timestamp. */
export const k8sTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The entrypoint's StartedAt value: RFC3339 with milliseconds. */
export const entrypointTime = (d: Date): string => d.toISOString();
