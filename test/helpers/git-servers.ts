// Local git repositories for the git-clone tests, and three ways to serve them on this machine:
// file://, `git daemon` on 127.0.0.1, and smart HTTP (`git http-backend` behind a Node server on
// 127.0.0.1, optionally behind basic auth, optionally HTTPS with a self-signed certificate). Nothing here talks to anything but 127.0.0.1.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Environment for git commands the tests run themselves: no user or system config leaks in. */
export function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', XDG_CONFIG_HOME: join(home, '.config') };
}

/** Runs git with a fixed identity; returns trimmed stdout. Throws with git's stderr on failure. */
export function git(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = ['-c', 'user.name=Tektite Test', '-c', 'user.email=test@tektite.invalid', '-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always'];
  return execFileSync('git', [...base, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Like `git`, without blocking the event loop: needed whenever the server is in this process
 * (smart HTTP), since a synchronous child would keep it from answering.
 */
export function gitAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'protocol.file.allow=always', ...args], { cwd, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(`git ${args.join(' ')}: ${stderr}`), { stderr }));
      else resolve(stdout.trim());
    });
  });
}

export function requireGit(): void {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('git is not installed: the git-clone tests drive the real git binary (apt-get install git)');
  }
}

export interface Repos {
  /** Folder holding the bare repositories (the base path every server serves). */
  root: string;
  /** Bare repository names under `root`. */
  names: { main: string; sub: string; super: string };
  main: {
    /** main's history, oldest first. */
    commits: string[];
    featureHead: string;
    /** The commit the annotated tag 1.0.0 points at. */
    tagCommit: string;
    /** A commit only `refs/pull/1/head` reaches (no branch or tag does). */
    pullHead: string;
  };
  superHead: string;
  /** The submodule commit the superproject records at `lib/sub`. */
  subPinned: string;
}

/** Builds the test repositories under `root` (which must exist). Commit dates are fixed and distinct. */
export function buildRepos(root: string): Repos {
  const work = join(root, '.work');
  mkdirSync(work, { recursive: true });
  const env = isolatedGitEnv(work);
  let clock = 1_700_000_000;
  const commit = (dir: string, message: string): string => {
    clock += 3600;
    const dated = { ...env, GIT_AUTHOR_DATE: `@${clock} +0000`, GIT_COMMITTER_DATE: `@${clock} +0000` };
    git(['add', '-A'], dir, dated);
    git(['commit', '-q', '-m', message], dir, dated);
    return git(['rev-parse', 'HEAD'], dir, env);
  };
  const write = (dir: string, file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  // main: a sparse-friendly layout (CONTRIBUTING.md, STYLE.md beside code folders), 5 commits on
  // main, a feature branch, an annotated tag on an older commit, and a pull-request head.
  const main = join(root, 'main.work');
  git(['init', '-q', main], work, env);
  write(main, 'README.md', '# nocode\n\nThe best way to write secure and reliable applications.\n');
  write(main, 'CONTRIBUTING.md', 'Do not contribute code.\n');
  write(main, 'STYLE.md', 'No style.\n');
  write(main, 'docs/index.md', 'docs\n');
  write(main, 'cmd/tool/main.go', 'package main\n');
  const commits = [commit(main, 'initial')];
  write(main, 'docs/usage.md', 'usage\n');
  commits.push(commit(main, 'docs: usage'));
  git(['tag', '-a', '1.0.0', '-m', 'release 1.0.0'], main, { ...env, GIT_COMMITTER_DATE: `@${clock} +0000` });
  const tagCommit = commits[1]!;
  write(main, 'cmd/tool/flags.go', 'package main // flags\n');
  commits.push(commit(main, 'cmd: flags'));
  git(['checkout', '-q', '-b', 'feature'], main, env);
  write(main, 'feature.txt', 'feature\n');
  const featureHead = commit(main, 'feature work');
  git(['checkout', '-q', 'main'], main, env);
  write(main, 'STYLE.md', 'No style, still.\n');
  commits.push(commit(main, 'style'));
  git(['checkout', '-q', '-b', 'pr-1'], main, env);
  write(main, 'pull.txt', 'proposed change\n');
  const pullHead = commit(main, 'pull request 1');
  git(['checkout', '-q', 'main'], main, env);
  write(main, 'README.md', '# nocode\n\nNo code is the best code.\n');
  commits.push(commit(main, 'readme'));

  const bare = (from: string, name: string) => {
    git(['clone', '-q', '--bare', from, join(root, name)], work, env);
    return join(root, name);
  };
  const mainBare = bare(main, 'nocode.git');
  git(['update-ref', 'refs/pull/1/head', pullHead], mainBare, env);
  git(['branch', '-D', 'pr-1'], mainBare, env);

  // sub: the submodule; super: records sub at an older commit through a relative url, so the
  // submodule is fetched over the same transport as the superproject.
  const sub = join(root, 'sub.work');
  git(['init', '-q', sub], work, env);
  write(sub, 'lib.txt', 'v1\n');
  const subPinned = commit(sub, 'sub v1');
  write(sub, 'lib.txt', 'v2\n');
  commit(sub, 'sub v2');
  bare(sub, 'sub.git');
  const sup = join(root, 'super.work'); // `../sub.git` resolves beside it
  git(['init', '-q', sup], work, env);
  write(sup, 'app.txt', 'app\n');
  commit(sup, 'app');
  git(['submodule', 'add', '-q', '../sub.git', 'lib/sub'], sup, env);
  git(['checkout', '-q', subPinned], join(sup, 'lib/sub'), env);
  const superHead = commit(sup, 'pin sub v1');
  bare(sup, 'super.git');
  // Only the bare repositories are served.
  for (const dir of [work, main, sub, sup]) rmSync(dir, { recursive: true, force: true });

  return {
    root,
    names: { main: 'nocode.git', sub: 'sub.git', super: 'super.git' },
    main: { commits, featureHead, tagCommit, pullHead },
    superHead,
    subPinned,
  };
}

export interface GitServer {
  /** Clone URL of a repository under the served root. */
  url(name: string): string;
  close(): Promise<void>;
}

export function fileServer(root: string): GitServer {
  return { url: (name) => `file://${join(root, name)}`, close: async () => {} };
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** `git daemon` exporting every repository under `root` on 127.0.0.1. */
export async function startGitDaemon(root: string): Promise<GitServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${root}`, '--export-all', '--reuseaddr', '--informative-errors', root], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    daemon.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const deadline = Date.now() + 5000;
    while (daemon.exitCode === null && Date.now() < deadline) {
      if (await accepts(port)) return { url: (name) => `git://127.0.0.1:${port}/${name}`, close: () => stop(daemon) };
      await new Promise((r) => setTimeout(r, 25));
    }
    await stop(daemon);
    if (attempt === 4) throw new Error(`git daemon did not start on 127.0.0.1:${port}: ${stderr}`);
  }
  throw new Error('unreachable');
}

export interface HttpServerOptions {
  /** Require these basic-auth credentials for every request. */
  auth?: { user: string; password: string };
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Answer the first N requests with 503 (a flaky server, for retries). */
  failFirst?: number;
}

/** A self-signed certificate for 127.0.0.1 (openssl); returns PEM texts and the cert's file. */
export function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${(e as { stderr?: Buffer }).stderr ?? e}`);
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** Smart HTTP: a Node server on 127.0.0.1 that runs `git http-backend` (CGI) for each request. */
export async function startHttpGitServer(root: string, options: HttpServerOptions = {}): Promise<GitServer> {
  const children = new Set<ChildProcess>();
  let failures = options.failFirst ?? 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (failures > 0) {
      failures--;
      res.writeHead(503).end('try again later\n');
      return;
    }
    if (options.auth && !authorized(req, options.auth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="tektite-test"' }).end('authentication required\n');
      return;
    }
    serveCgi(root, req, res, children);
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/${name}`,
    close: async () => {
      await Promise.all([...children].map(stop));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function authorized(req: IncomingMessage, auth: { user: string; password: string }): boolean {
  const header = req.headers.authorization ?? '';
  return header === `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
}

function serveCgi(root: string, req: IncomingMessage, res: ServerResponse, children: Set<ChildProcess>): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      REMOTE_USER: req.headers.authorization ? 'tektite' : '',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  req.pipe(child.stdin!);
  child.stdin!.on('error', () => {});
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.stdout!.on('end', () => {
    if (!headersDone) res.writeHead(502);
    res.end();
  });
}
