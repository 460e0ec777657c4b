// git-clone: a drop-in for the Tekton catalog's git-clone 0.10 (same params, workspaces, results
// and env names), driving the native git binary with git-init's sequence. The same program is
// also a stand-in for the git-init binary: `-url=… -revision=… -path=…`.
import { defineStep, param, result, workspace, UsageError } from 'tektite/sdk';
import { PathEscapeError } from './src/checkout-dir.js';
import { clone, InputError } from './src/clone.js';
import { friendlyError } from './src/git-error.js';
import { FlagValueError } from './src/go-flags.js';
import { urlSecrets } from './src/redact.js';
import { parseSettings, type Settings } from './src/settings.js';

const gitInitFlag = (description: string, defaultValue: string) => param.string({ description, default: defaultValue, cliOnly: true });

export default defineStep({
  name: 'git-clone',
  description: [
    'These Tasks are Git tasks to work with repositories used by other tasks in your Pipeline.',
    "The git-clone Task will clone a repo from the provided url into the output Workspace. By default the repo will be cloned into the root of your Workspace. You can clone into a subdirectory by setting this Task's subdirectory param. This Task also supports sparse checkouts. To perform a sparse checkout, pass a list of comma separated directory patterns to this Task's sparseCheckoutDirectories param.",
  ].join('\n'),
  image: 'ghcr.io/tektite-dev/git-clone:0.1.0',
  // The program drives the git binary: the base needs git beside node (distroless has no git).
  base: 'docker.io/library/node:22-bookworm',
  home: '$(params.userHome)',
  params: {
    url: param.string({ description: 'Repository URL to clone from.' }),
    revision: param.string({ description: 'Revision to checkout. (branch, tag, sha, ref, etc...)', default: '' }),
    refspec: param.string({ description: 'Refspec to fetch before checking out revision.', default: '' }),
    submodules: param.string({ description: 'Initialize and fetch git submodules.', default: 'true' }),
    depth: param.string({ description: 'Perform a shallow clone, fetching only the most recent N commits.', default: '1' }),
    sslVerify: param.string({
      description: 'Set the `http.sslVerify` global git config. Setting this to `false` is not advised unless you are sure that you trust your git remote.',
      default: 'true',
    }),
    crtFileName: param.string({
      description: 'file name of mounted crt using ssl-ca-directory workspace. default value is ca-bundle.crt.',
      default: 'ca-bundle.crt',
      env: 'PARAM_CRT_FILENAME',
    }),
    subdirectory: param.string({ description: 'Subdirectory inside the `output` Workspace to clone the repo into.', default: '' }),
    sparseCheckoutDirectories: param.string({
      description: 'Define the directory patterns to match or exclude when performing a sparse checkout.',
      default: '',
    }),
    deleteExisting: param.string({
      description: 'Clean out the contents of the destination directory if it already exists before cloning.',
      default: 'true',
    }),
    httpProxy: param.string({ description: 'HTTP proxy server for non-SSL requests.', default: '' }),
    httpsProxy: param.string({ description: 'HTTPS proxy server for SSL requests.', default: '' }),
    noProxy: param.string({ description: 'Opt out of proxying HTTP/HTTPS requests.', default: '' }),
    verbose: param.string({ description: "Log the commands that are executed during `git-clone`'s operation.", default: 'true' }),
    gitInitImage: param.string({
      description: 'The image providing the git-init binary that this Task runs.',
      default: 'ghcr.io/tektoncd-catalog/git-clone:v1.1.0',
    }),
    userHome: param.string({ description: "Absolute path to the user's home directory.\n", default: '/home/git' }),
    // git-init's own flags, so this program can stand in for the git-init binary.
    path: gitInitFlag('git-init: the folder to clone into; when set, no workspace is used.', ''),
    terminationMessagePath: gitInitFlag('git-init: where to write the commit and url termination message (default /tekton/termination when /tekton exists).', ''),
    submodulePaths: gitInitFlag('git-init: comma-separated submodule paths to update (default all).', ''),
    retryMaxAttempts: gitInitFlag('git-init: attempts for fetch and submodule update (1 = no retry).', '1'),
    retryInitial: gitInitFlag('git-init: first wait between attempts (Go duration).', '1s'),
    retryMax: gitInitFlag('git-init: longest wait between attempts (Go duration).', '10s'),
    retryFactor: gitInitFlag('git-init: growth factor of the wait.', '2'),
    userFriendlyErrors: gitInitFlag('git-init: print a hint and reproduction commands when the clone fails.', 'true'),
  },
  workspaces: {
    output: workspace({ description: 'The git repo will be cloned onto the volume backing this Workspace.', optionalWhen: 'path' }),
    'ssh-directory': workspace({
      optional: true,
      description:
        'A .ssh directory with private key, known_hosts, config, etc. Copied to\nthe user\'s home before git commands are executed. Used to authenticate\nwith the git remote when performing the clone. Binding a Secret to this\nWorkspace is strongly recommended over other volume types.\n',
    }),
    'basic-auth': workspace({
      optional: true,
      env: 'WORKSPACE_BASIC_AUTH_DIRECTORY',
      description:
        'A Workspace containing a .gitconfig and .git-credentials file. These\nwill be copied to the user\'s home before any git commands are run. Any\nother files in this Workspace are ignored. It is strongly recommended\nto use ssh-directory over basic-auth whenever possible and to bind a\nSecret to this Workspace over other volume types.\n',
    }),
    'ssl-ca-directory': workspace({
      optional: true,
      description: 'A workspace containing CA certificates, this will be used by Git to\nverify the peer with when fetching or pushing over HTTPS.\n',
    }),
  },
  results: {
    commit: result.string({ description: 'The precise commit SHA that was fetched by this Task.' }),
    url: result.string({ description: 'The precise URL that was fetched by this Task.' }),
    'committer-date': result.string({ description: 'The epoch timestamp of the commit that was fetched by this Task.' }),
  },
  async run(ctx) {
    for (const secret of urlSecrets(ctx.params.url)) ctx.log.addMask(secret);
    let settings: Settings;
    try {
      settings = parseSettings(ctx.params);
    } catch (e) {
      throw e instanceof FlagValueError ? new UsageError(e.message) : e;
    }
    const ws = ctx.workspaces;
    try {
      const cloned = await clone(
        settings,
        { output: ws.output, sshDirectory: ws['ssh-directory'], basicAuth: ws['basic-auth'], sslCaDirectory: ws['ssl-ca-directory'] },
        ctx.exec,
        ctx.log,
        ctx.env.HOME,
      );
      return { commit: cloned.commit, url: cloned.url, 'committer-date': cloned.committerDate };
    } catch (e) {
      if (e instanceof PathEscapeError || e instanceof InputError) throw new UsageError(e.message);
      if (!(e instanceof Error) || !settings.userFriendlyErrors) throw e;
      throw new Error(friendlyError(e, { url: settings.url, revision: settings.revision, depth: settings.depth }));
    }
  },
});
