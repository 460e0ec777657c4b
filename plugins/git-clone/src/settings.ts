// The inputs of one git-clone run, checked before anything is touched: the catalog Task's params
// (strings, parsed the way the catalog step and git-init parse them) and git-init's own flags.
import { FlagValueError, parseGoBool, parseGoDuration, parseGoFloat, parseGoUint } from './go-flags.js';
import type { RetryPolicy } from './retry.js';

/** Every input as the step receives it (Task params are all `type: string`). */
export interface RawInputs {
  url: string;
  revision: string;
  refspec: string;
  submodules: string;
  depth: string;
  sslVerify: string;
  crtFileName: string;
  subdirectory: string;
  sparseCheckoutDirectories: string;
  deleteExisting: string;
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  verbose: string;
  userHome: string;
  /** git-init's `-path`; set = run as the git-init binary (no workspace handling). */
  path: string;
  terminationMessagePath: string;
  submodulePaths: string;
  retryMaxAttempts: string;
  retryInitial: string;
  retryMax: string;
  retryFactor: string;
  userFriendlyErrors: string;
}

export interface Settings {
  url: string;
  revision: string;
  refspec: string;
  submodules: boolean;
  depth: number;
  sslVerify: boolean;
  crtFileName: string;
  subdirectory: string;
  sparseCheckoutDirectories: string;
  /** The catalog script compares with "true" literally; so do we. */
  deleteExisting: boolean;
  proxies: Record<string, string>;
  /** Like the catalog's `set -x`: only the literal "true". */
  verbose: boolean;
  userHome: string;
  gitInitPath: string | undefined;
  terminationMessagePath: string;
  submodulePaths: string[];
  retry: RetryPolicy;
  userFriendlyErrors: boolean;
}

/**
 * git reads an argument that starts with "-" as an option wherever it stands: a revision of
 * `--upload-pack=<command>` would run that command. No url, ref or path starts with "-".
 */
function notAnOption(flag: string, value: string): void {
  if (value.trimStart().startsWith('-')) throw new FlagValueError(flag, value, 'must not start with "-" (git would take it for an option)');
}

export function parseSettings(raw: RawInputs): Settings {
  if (raw.url.trim() === '') throw new FlagValueError('url', raw.url, 'the url of the repository to clone is required');
  notAnOption('url', raw.url);
  notAnOption('revision', raw.revision);
  for (const part of raw.refspec.split(' ')) notAnOption('refspec', part);
  for (const path of raw.submodulePaths.split(',')) notAnOption('submodulePaths', path);
  const retryMaxAttempts = parseGoUint('retryMaxAttempts', raw.retryMaxAttempts);
  const proxies: Record<string, string> = {};
  if (raw.httpProxy !== '') proxies.HTTP_PROXY = raw.httpProxy;
  if (raw.httpsProxy !== '') proxies.HTTPS_PROXY = raw.httpsProxy;
  if (raw.noProxy !== '') proxies.NO_PROXY = raw.noProxy;
  return {
    url: raw.url,
    revision: raw.revision,
    refspec: raw.refspec,
    submodules: parseGoBool('submodules', raw.submodules),
    depth: parseGoUint('depth', raw.depth),
    sslVerify: parseGoBool('sslVerify', raw.sslVerify),
    crtFileName: raw.crtFileName,
    subdirectory: raw.subdirectory,
    sparseCheckoutDirectories: raw.sparseCheckoutDirectories,
    deleteExisting: raw.deleteExisting === 'true',
    proxies,
    verbose: raw.verbose === 'true',
    userHome: raw.userHome,
    gitInitPath: raw.path === '' ? undefined : raw.path,
    terminationMessagePath: raw.terminationMessagePath,
    submodulePaths: raw.submodulePaths === '' ? [] : raw.submodulePaths.split(',').map((p) => p.trim()).filter((p) => p !== ''),
    retry: {
      maxAttempts: Math.max(1, retryMaxAttempts),
      initialMs: parseGoDuration('retryInitial', raw.retryInitial),
      maxMs: parseGoDuration('retryMax', raw.retryMax),
      factor: parseGoFloat('retryFactor', raw.retryFactor),
    },
    userFriendlyErrors: parseGoBool('userFriendlyErrors', raw.userFriendlyErrors),
  };
}
