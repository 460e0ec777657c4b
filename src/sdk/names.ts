// Name rules shared by the SDK runtime and the generator: Tekton's regexes for declared names and
// the env var / argv names through which each input travels into the step process.

/** Tekton's rule for string and array param names (tekton-semantics §2.2). */
export const PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
/** Tekton's rule for object param names and their property keys (no dots). */
export const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
/** Tekton's rule for result names (§5.1). */
export const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A Kubernetes DNS-1123 label: the step name, the Task/StepAction name and the bundle name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A portable environment variable name (what a shell and the generated YAML can both carry). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `sslVerify` -> `SSL_VERIFY`, `ssh-directory` -> `SSH_DIRECTORY`, `a.b` -> `A_B`. */
function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

export const paramEnv = (name: string): string => `PARAM_${upperSnake(name)}`;
export const objectKeyEnv = (prefix: string, key: string): string => `${prefix}_${upperSnake(key)}`;
export const workspaceEnvPrefix = (name: string): string => `WORKSPACE_${upperSnake(name)}`;
export const resultPathEnv = (name: string): string => `RESULT_${upperSnake(name)}_PATH`;

/**
 * The argv token that starts an array param's elements in generated steps. Arrays cannot travel
 * in env (Tekton rejects whole-array references there), so the step's args end with
 * `--tektite-array=<name>` followed by the isolated `$(params.<name>[*])`, one pair per array in
 * declaration order.
 */
export const ARRAY_MARKER = '--tektite-array=';
