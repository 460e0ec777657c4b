// A failed git command, and the "what to do now" block git-clone prints for it (upstream
// git-init's userFriendlyErrors): the error text, one hint, and commands to reproduce it.
import { redactCredentials } from './redact.js';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly output: string,
  ) {
    const tail = output.trim().split('\n').slice(-20).join('\n');
    super(redactCredentials(`git ${args.map(shellQuote).join(' ')} failed with exit code ${exitCode}${tail ? `:\n${tail}` : ''}`));
    this.name = 'GitError';
  }
}

/** A revision that is not in what was fetched (git-init: "error parsing <rev> after fetching refspec <refspec>"). */
export class RevisionError extends Error {
  constructor(revision: string, refspec: string, output: string) {
    super(`error parsing ${revision} after fetching refspec ${refspec}${output.trim() ? `:\n${output.trim()}` : ''}`);
    this.name = 'RevisionError';
  }
}

const TLS_HINT = "The server's TLS certificate is not trusted. Bind the ssl-ca-directory workspace with the CA (crtFileName), or set sslVerify to \"false\" if you trust the remote.";
const CONNECT_HINT = 'Nothing accepted the connection. Check the url (host and port) and the httpProxy/httpsProxy/noProxy params.';

const HINTS: Array<[needle: string, hint: string]> = [
  ['terminal prompts disabled', 'The remote asks for a user name and password. Bind the basic-auth workspace (.git-credentials and .gitconfig) or use an ssh URL with the ssh-directory workspace.'],
  ['could not read username', 'The remote asks for a user name and password. Bind the basic-auth workspace (.git-credentials and .gitconfig) or use an ssh URL with the ssh-directory workspace.'],
  ['authentication failed', 'The remote rejected the credentials. Check the token or password in the basic-auth workspace and that it may read this repository.'],
  ['permission denied (publickey', 'The ssh key was rejected. Check the private key in the ssh-directory workspace and that it has access to the repository.'],
  ['host key verification failed', "The remote's host key is unknown or changed. Put the host's key in known_hosts in the ssh-directory workspace."],
  ["couldn't find remote ref", 'The revision or refspec does not exist on the remote. Check the revision param (branch, tag or full commit SHA) and the refspec param.'],
  ['error parsing', 'The revision was not among the fetched commits. With a refspec, the revision must be reachable from what the refspec fetches; with depth > 0 it must be within the fetched depth.'],
  ['ssl certificate problem', TLS_HINT],
  ['server certificate verification failed', TLS_HINT],
  ['transport \'file\' not allowed', 'A submodule uses a file:// URL, which git refuses by default since 2.38.1. Serve the submodule over another transport, or set submodules to "false".'],
  ['sparse checkout leaves no entry', 'The sparseCheckoutDirectories patterns match no file of this revision. Check the patterns (comma-separated, gitignore syntax).'],
  ['repository not found', 'The repository does not exist or is private. Check the url param, and the credentials for a private repository.'],
  ['does not appear to be a git repository', 'Nothing that looks like a git repository is at this url. Check the url param.'],
  ['could not resolve host', 'The host name could not be resolved. Check the url, and the httpProxy/httpsProxy/noProxy params.'],
  ['connection refused', CONNECT_HINT],
  ["couldn't connect to server", CONNECT_HINT],
  ['timed out', 'The connection timed out. Check the network path to the remote and the proxy params.'],
];

/** The hint for an error text, chosen by the first substring that matches (case-insensitive). */
export function hintFor(text: string): string | undefined {
  const lower = text.toLowerCase();
  return HINTS.find(([needle]) => lower.includes(needle))?.[1];
}

export interface FailureContext {
  url: string;
  revision: string;
  depth: number;
}

/** The block printed to stderr when the clone fails; every URL in it is redacted. */
export function friendlyError(error: Error, ctx: FailureContext): string {
  const hint = hintFor(error.message);
  const fetchTarget = ctx.revision === '' ? '' : ` ${shellQuote(ctx.revision)}`;
  const lines = [
    'git-clone failed:',
    ...error.message.split('\n').map((l) => `  ${l}`),
    ...(hint ? ['', `Hint: ${hint}`] : []),
    '',
    'To reproduce:',
    '  git init repo && cd repo',
    `  git remote add origin ${shellQuote(ctx.url)}`,
    `  git fetch${ctx.depth > 0 ? ` --depth=${ctx.depth}` : ''} origin${fetchTarget}`,
    '  git checkout -f FETCH_HEAD',
  ];
  return redactCredentials(lines.join('\n'));
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
