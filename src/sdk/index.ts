// tektite/sdk: what a step program imports. Zero runtime dependencies.
export { defineStep, param, result, workspace, isStepProgram } from './declare.js';
export type {
  ParamKind,
  ParamSpec,
  ParamValues,
  ResultKind,
  ResultSpec,
  ResultValues,
  ResultSetter,
  StepContext,
  StepDeclaration,
  StepProgram,
  WorkspaceSpec,
  WorkspaceValue,
} from './declare.js';
export type { Logger, LogLevel } from './log.js';
export type { Exec, ExecOptions, ExecResult } from './exec.js';
export { ExecError } from './exec.js';
export { runMain } from './process.js';
export { UsageError } from './inputs.js';
