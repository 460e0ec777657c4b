// Tekton's resource shapes (tekton.dev/v1), as far as tektite reads them.
// These describe documents *after* loading; a loaded document is only known to have this shape
// once validation has passed, so validators treat input as `unknown` and narrow it themselves.

export type ParamType = 'string' | 'array' | 'object';

/** A param or default value after decoding (§1.6): string, list of strings, or map of strings. */
export type ParamValue = string | string[] | Record<string, string>;

export interface PropertySpec {
  type?: 'string' | string;
}

export interface ParamSpec {
  name: string;
  type?: ParamType;
  description?: string;
  properties?: Record<string, PropertySpec>;
  default?: ParamValue;
  enum?: string[];
}

export interface Param {
  name: string;
  value: ParamValue;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface WhenExpression {
  input?: string;
  operator?: 'in' | 'notin' | string;
  values?: string[];
  cel?: string;
}

export interface StepResult {
  name: string;
  type?: ParamType;
  properties?: Record<string, PropertySpec>;
  description?: string;
}

export interface WorkspaceUsage {
  name: string;
  mountPath?: string;
}

/** Fields a Step shares with stepTemplate and sidecars (a Kubernetes container, trimmed). */
export interface ContainerFields {
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: Record<string, unknown>[];
  computeResources?: Record<string, unknown>;
  volumeMounts?: VolumeMount[];
  volumeDevices?: Record<string, unknown>[];
  imagePullPolicy?: string;
  securityContext?: Record<string, unknown>;
}

export interface StepRef {
  name?: string;
  resolver?: string;
  params?: Param[];
}

export interface Step extends ContainerFields {
  name?: string;
  displayName?: string;
  script?: string;
  timeout?: string;
  workspaces?: WorkspaceUsage[];
  onError?: 'continue' | 'stopAndFail' | string;
  stdoutConfig?: { path?: string };
  stderrConfig?: { path?: string };
  ref?: StepRef;
  params?: Param[];
  results?: StepResult[];
  when?: WhenExpression[];
}

export type StepTemplate = ContainerFields;

export interface Sidecar extends ContainerFields {
  name?: string;
  script?: string;
  workspaces?: WorkspaceUsage[];
}

export interface TaskResult {
  name: string;
  type?: ParamType;
  properties?: Record<string, PropertySpec>;
  description?: string;
  value?: ParamValue;
}

export interface WorkspaceDeclaration {
  name: string;
  description?: string;
  mountPath?: string;
  readOnly?: boolean;
  optional?: boolean;
}

export interface Volume {
  name: string;
  [source: string]: unknown;
}

export interface TaskSpec {
  params?: ParamSpec[];
  displayName?: string;
  description?: string;
  steps: Step[];
  volumes?: Volume[];
  stepTemplate?: StepTemplate;
  sidecars?: Sidecar[];
  workspaces?: WorkspaceDeclaration[];
  results?: TaskResult[];
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Task {
  apiVersion: string;
  kind: 'Task';
  metadata: ObjectMeta;
  spec: TaskSpec;
}

export interface StepActionSpec extends ContainerFields {
  description?: string;
  script?: string;
  params?: ParamSpec[];
  results?: StepResult[];
}

export interface StepAction {
  apiVersion: string;
  kind: 'StepAction';
  metadata: ObjectMeta;
  spec: StepActionSpec;
}

export interface TaskRef {
  name?: string;
  kind?: string;
  apiVersion?: string;
  resolver?: string;
  params?: Param[];
}

export interface WorkspaceBinding {
  name: string;
  subPath?: string;
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName?: string; readOnly?: boolean };
  volumeClaimTemplate?: Record<string, unknown>;
  configMap?: { name?: string; items?: { key: string; path: string }[] };
  secret?: { secretName?: string; items?: { key: string; path: string }[] };
  projected?: { sources?: unknown[] };
  csi?: { driver?: string; [k: string]: unknown };
}

/** A Pipeline's task (only what the validator reads from it). */
export interface PipelineTask {
  name?: string;
  taskRef?: TaskRef;
  taskSpec?: TaskSpec;
  params?: Param[];
  matrix?: { params?: Param[]; include?: { name?: string; params?: Param[] }[] };
  /** Task workspace `name` bound to the Pipeline's `workspace`. */
  workspaces?: { name: string; workspace?: string; subPath?: string }[];
}

export interface TaskRunSpec {
  taskRef?: TaskRef;
  taskSpec?: TaskSpec;
  params?: Param[];
  workspaces?: WorkspaceBinding[];
  timeout?: string;
  serviceAccountName?: string;
  podTemplate?: Record<string, unknown>;
  status?: string;
  statusMessage?: string;
  retries?: number;
  stepSpecs?: { name: string; computeResources?: unknown }[];
  sidecarSpecs?: { name: string; computeResources?: unknown }[];
  computeResources?: Record<string, unknown>;
}

export interface Condition {
  type: 'Succeeded';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface RunResult {
  name: string;
  type: ParamType;
  value: ParamValue;
}

export interface StepState {
  name: string;
  container: string;
  imageID?: string;
  terminated?: ContainerStateTerminated;
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminationReason?: string;
  results?: RunResult[];
}

export interface TaskRunStatus {
  conditions?: Condition[];
  podName?: string;
  startTime?: string;
  completionTime?: string;
  steps?: StepState[];
  results?: RunResult[];
  taskSpec?: TaskSpec;
  retriesStatus?: TaskRunStatus[];
}

export interface TaskRun {
  apiVersion: string;
  kind: 'TaskRun';
  metadata: ObjectMeta;
  spec: TaskRunSpec;
  status?: TaskRunStatus;
}

export const TEKTON_GROUP = 'tekton.dev';
export const KINDS = ['Task', 'TaskRun', 'StepAction', 'Pipeline', 'PipelineRun'] as const;
export type TektonKind = (typeof KINDS)[number];
