// Declaration -> Tekton YAML: the v1 Task and the v1beta1 StepAction that run a step program.
// Params reach the program only through env (strings, object keys) and isolated args (arrays,
// after a `--tektite-array=<name>` marker); nothing is pasted into a script.
import { Document, visit } from 'yaml';
import { BREAK_ESCAPE, readsAsText, SPECIAL_CHAR } from '../tekton/yaml11.js';
import type { ParamSpec, ResultSpec, StepProgram, WorkspaceSpec } from '../sdk/declare.js';
import { paramEnvNames, resultEnv, workspaceEnv } from '../sdk/declare.js';
import { ARRAY_MARKER } from '../sdk/names.js';
import { IMAGE_NODE, SOURCE_ANNOTATION, imageBundlePath } from './plugin-source.js';

export class GenerateError extends Error {
  override name = 'GenerateError';
}

export interface GenerateOptions {
  /** Value of the `tektite.dev/source` annotation: the plugin source relative to the YAML's folder. */
  source: string;
}

type Doc = Record<string, unknown>;

/** The emptyDir a declaration's `home` is mounted from (the catalog git-clone's name for it). */
const HOME_VOLUME = 'user-home';
type Kind = 'Task' | 'StepAction';

/** `$(params.x)`, or `$(params["a.b"])` for a name with dots (tekton-semantics §3.1). */
function ref(scope: string, name: string, suffix = ''): string {
  return name.includes('.') ? `$(${scope}[${JSON.stringify(name)}]${suffix})` : `$(${scope}.${name}${suffix})`;
}

/** Type hints the SDK enforces but Tekton cannot express (its params are all strings). */
function paramDescription(spec: ParamSpec): string | undefined {
  const hint =
    spec.kind === 'boolean'
      ? 'Boolean: true or false.'
      : spec.kind === 'integer'
        ? `Integer${spec.min !== undefined ? `, at least ${spec.min}` : ''}${spec.max !== undefined ? `${spec.min !== undefined ? ' and' : ','} at most ${spec.max}` : ''}.`
        : spec.kind === 'enum'
          ? `One of: ${spec.values!.join(', ')}.`
          : '';
  const text = [spec.description, hint].filter(Boolean).join(' ');
  return text || undefined;
}

function paramSpecs(program: StepProgram): Doc[] {
  const out: Doc[] = [];
  for (const [name, spec] of Object.entries(program.params)) {
    if (spec.cliOnly) continue;
    const doc: Doc = { name, type: spec.kind === 'array' || spec.kind === 'object' ? spec.kind : 'string' };
    const description = paramDescription(spec);
    if (description) doc.description = description;
    if (spec.kind === 'object') {
      doc.properties = Object.fromEntries(spec.properties!.map((k) => [k, { type: 'string' }]));
      if (spec.objectDefault) doc.default = { ...spec.objectDefault };
    } else if (spec.default !== undefined) {
      doc.default = spec.kind === 'array' ? [...(spec.default as string[])] : String(spec.default);
    }
    out.push(doc);
  }
  return out;
}

function resultSpecs(program: StepProgram, stepName?: string): Doc[] {
  return Object.entries(program.results).map(([name, spec]: [string, ResultSpec]) => {
    const doc: Doc = { name, type: spec.kind };
    if (spec.description) doc.description = spec.description;
    if (spec.kind === 'object') doc.properties = Object.fromEntries(spec.properties!.map((k) => [k, { type: 'string' }]));
    if (stepName) doc.value = ref(`steps.${stepName}.results`, name);
    return doc;
  });
}

function workspaceDecls(program: StepProgram): Doc[] {
  return Object.entries(program.workspaces).map(([name, spec]: [string, WorkspaceSpec]) => {
    const doc: Doc = { name };
    if (spec.description) doc.description = spec.description;
    if (spec.mountPath) doc.mountPath = spec.mountPath;
    if (spec.readOnly) doc.readOnly = true;
    if (spec.optional) doc.optional = true;
    return doc;
  });
}

/** StepActions have no workspaces: each one's path arrives as a param `<workspace>-path`. */
const workspacePathParam = (workspace: string): string => `${workspace}-path`;

function workspacePathParams(program: StepProgram): Doc[] {
  return Object.entries(program.workspaces).map(([name, spec]) => {
    const doc: Doc = {
      name: workspacePathParam(name),
      type: 'string',
      description: `Path of the ${name} workspace: pass $(workspaces.${name}.path).${spec.optional ? ' Empty when not bound.' : ''}`,
    };
    if (spec.optional) doc.default = '';
    return doc;
  });
}

function stepEnv(program: StepProgram, kind: Kind): Doc[] {
  const env: Doc[] = [];
  for (const [name, spec] of Object.entries(program.params)) {
    if (spec.cliOnly || spec.kind === 'array') continue;
    const names = paramEnvNames(name, spec);
    if (spec.kind === 'object') for (const [k, e] of Object.entries(names.keys)) env.push({ name: e, value: ref('params', name, `.${k}`) });
    else env.push({ name: names.env, value: ref('params', name) });
  }
  for (const [name, spec] of Object.entries(program.workspaces)) {
    const e = workspaceEnv(name, spec);
    if (kind === 'Task') {
      env.push({ name: e.path, value: `$(workspaces.${name}.path)` }, { name: e.bound, value: `$(workspaces.${name}.bound)` });
    } else {
      env.push({ name: e.path, value: ref('params', workspacePathParam(name)) });
    }
  }
  for (const [name, spec] of Object.entries(program.results)) {
    env.push({ name: resultEnv(name, spec), value: ref(kind === 'Task' ? 'results' : 'step.results', name, '.path') });
  }
  return env;
}

function stepArgs(program: StepProgram): string[] {
  return Object.entries(program.params)
    .filter(([, spec]) => spec.kind === 'array' && !spec.cliOnly)
    .flatMap(([name]) => [`${ARRAY_MARKER}${name}`, ref('params', name, '[*]')]);
}

function securityContext(program: StepProgram): Doc {
  return {
    runAsNonRoot: true,
    runAsUser: 65532,
    allowPrivilegeEscalation: false,
    ...(program.readOnlyRootFilesystem === false ? {} : { readOnlyRootFilesystem: true }),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function container(program: StepProgram, kind: Kind): Doc {
  if (!program.image) throw new GenerateError(`${program.name}: set \`image\` in defineStep({...}) (the image the generated step runs)`);
  const doc: Doc = { image: program.image, command: [IMAGE_NODE, imageBundlePath(program.name)] };
  const args = stepArgs(program);
  if (args.length) doc.args = args;
  const env = stepEnv(program, kind);
  if (program.home && kind === 'Task') env.unshift({ name: 'HOME', value: program.home });
  if (env.length) doc.env = env;
  doc.securityContext = securityContext(program);
  if (program.home && kind === 'Task') doc.volumeMounts = [{ name: HOME_VOLUME, mountPath: program.home }];
  return doc;
}

function metadata(program: StepProgram, options: GenerateOptions): Doc {
  return { name: program.name, annotations: { [SOURCE_ANNOTATION]: options.source } };
}

function withDescription(program: StepProgram, spec: Doc): Doc {
  return program.description ? { description: program.description, ...spec } : spec;
}

function nonEmpty(spec: Doc): Doc {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
}

/** The v1 Task: one step named after the program. */
export function generateTask(program: StepProgram, options: GenerateOptions): Doc {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: metadata(program, options),
    spec: nonEmpty(
      withDescription(program, {
        params: paramSpecs(program),
        workspaces: workspaceDecls(program),
        results: resultSpecs(program),
        steps: [{ name: program.name, ...container(program, 'Task') }],
        volumes: program.home ? [{ name: HOME_VOLUME, emptyDir: {} }] : [],
      }),
    ),
  };
}

/** The v1beta1 StepAction; workspace paths become `<workspace>-path` params. */
export function generateStepAction(program: StepProgram, options: GenerateOptions): Doc {
  const params = paramSpecs(program);
  const taken = new Set(params.map((p) => p.name));
  for (const p of workspacePathParams(program)) {
    if (taken.has(p.name)) throw new GenerateError(`${program.name}: param "${String(p.name)}" collides with the StepAction param that carries workspace ${String(p.name).slice(0, -5)}'s path`);
    params.push(p);
  }
  return {
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'StepAction',
    metadata: metadata(program, options),
    spec: nonEmpty(withDescription(program, { params, results: resultSpecs(program), ...container(program, 'StepAction') })),
  };
}

/**
 * A v1 Task that runs the StepAction (named `program.name`) as its only step: the same params,
 * workspaces and results as the generated Task, results surfaced from the step's results.
 */
export function generateStepActionTask(program: StepProgram, options: { name?: string } = {}): Doc {
  const dotted = Object.keys(program.results).filter((r) => r.includes('.'));
  if (dotted.length) throw new GenerateError(`${program.name}: a Task cannot surface step results with dots in their names (${dotted.join(', ')}): Tekton only accepts $(steps.<step>.results.<name>)`);
  const stepParams: Doc[] = [];
  for (const [name, spec] of Object.entries(program.params)) {
    if (spec.cliOnly) continue;
    stepParams.push({ name, value: spec.kind === 'string' || spec.kind === 'boolean' || spec.kind === 'integer' || spec.kind === 'enum' ? ref('params', name) : ref('params', name, '[*]') });
  }
  for (const name of Object.keys(program.workspaces)) stepParams.push({ name: workspacePathParam(name), value: `$(workspaces.${name}.path)` });
  const step: Doc = { name: program.name, ref: { name: program.name } };
  if (stepParams.length) step.params = stepParams;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: options.name ?? `${program.name}-via-stepaction` },
    spec: nonEmpty(
      withDescription(program, {
        params: paramSpecs(program),
        workspaces: workspaceDecls(program),
        results: resultSpecs(program, program.name),
        steps: [step],
      }),
    ),
  };
}

/** YAML text with a header saying where it came from. */
export function toYaml(docs: Doc[], source: string): string {
  const header = `# Generated by \`tektite generate\` from ${source}. Do not edit: change the declaration and generate again.\n`;
  return header + docs.map(kubectlSafeYaml).join('---\n');
}

/**
 * Characters yaml.v2 refuses raw or reads as line breaks (../tekton/yaml11.ts SPECIAL_CHAR):
 * escaped here, inside double quotes (the yaml package writes DEL, C1 controls, NEL, U+2028,
 * U+2029, U+FFFE and U+FFFF raw; it escapes the C0 controls itself).
 */
const SPECIAL_CHARS = new RegExp(SPECIAL_CHAR.source, 'g');
const escapeSpecial = (c: string): string => BREAK_ESCAPE[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/**
 * A multi-line string the yaml package would write as a block scalar that yaml.v2 misreads: a
 * line of only blanks (its spaces are lost) or a line starting with a tab (yaml.v2: "found a
 * tab character where an indentation space is expected").
 */
const BAD_BLOCK = /(?:^|\n)(?:[ \t]+(?:\n|$)|\t)/;

/**
 * `doc` as YAML that kubectl and tkn (YAML 1.1, Go's yaml.v2: ../tekton/yaml11.ts) read back as
 * written, and YAML 1.2 readers too: the yaml package's 1.1 mode quotes yes/on/0755/1_000, and
 * every string yaml.v2 would still take for something else (0o17, 0X1F, +0o7, `<<`), that holds
 * a character it refuses or takes for a line break, or that would be a block scalar it misreads
 * is double-quoted, those characters escaped.
 */
function kubectlSafeYaml(doc: Doc): string {
  const d = new Document(doc, { version: '1.1' });
  visit(d, {
    Scalar(_, node) {
      const v = node.value;
      if (typeof v !== 'string') return;
      if (!readsAsText(v) || v === '<<' || SPECIAL_CHAR.test(v) || (v.includes('\n') && BAD_BLOCK.test(v))) node.type = 'QUOTE_DOUBLE';
    },
  });
  // (JSON-style double quotes: the yaml package's folding double-quoted writer turns a line of
  // one space into a backslash in long strings)
  return d.toString({ lineWidth: 0, doubleQuotedAsJSON: true }).replace(SPECIAL_CHARS, escapeSpecial);
}
