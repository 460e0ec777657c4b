// The shared corpus: the latest version of all 171 catalog Tasks, Tekton's own TaskRun examples
// and the catalog's test fixtures. Expectations come from §1.4 of catalog-and-git-clone.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { loadPaths } from '../../src/tekton/files.js';
import { validateDocs } from '../../src/tekton/validate/index.js';
import type { Diagnostic } from '../../src/tekton/diagnostics.js';
import { requireCorpus } from '../helpers/paths.js';

function run(dir: string) {
  const r = loadPaths([join(requireCorpus(), dir)]);
  const ds = validateDocs(r.tekton);
  return { docs: r.tekton, ds, syntax: r.diagnostics.filter((d) => d.severity === 'error') };
}

const byFile = (ds: Diagnostic[], pred: (d: Diagnostic) => boolean) =>
  [...new Set(ds.filter(pred).map((d) => basename(d.file!)))].sort();

test('catalog: all 171 Tasks load; Tekton errors only for the real defects of §1.4', () => {
  const { docs, ds, syntax } = run('catalog');
  assert.deepEqual(syntax, []);
  assert.equal(docs.filter((d) => d.kind === 'Task').length, 171);
  // The four latest tasks still declaring v1alpha1-era PipelineResources: Tekton's v1beta1
  // webhook rejects them (§1.7). Nothing else in the catalog is a Tekton error.
  const errors = ds.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${basename(d.file!)}: ${d.message}: ${d.paths.join(', ')}`).sort(), [
    'buildkit-0.1.yaml: must not set the field(s): spec.resources',
    'buildkit-daemonless-0.1.yaml: must not set the field(s): spec.resources',
    'makisu-0.1.yaml: must not set the field(s): spec.resources',
    'openshift-client-kubecfg-0.1.yaml: must not set the field(s): spec.resources',
  ]);
  // Not errors, deliberately: metadata.name differing from the catalog directory, a wrong or
  // missing app.kubernetes.io/version label, missing description/minVersion/categories/platforms
  // annotations and metadata.namespace in a Task are catlin (catalog CI) conventions. Tekton
  // accepts all of them, and tektite validate does not check catalog layout.
  for (const f of ['jumpstarter-run-cmd-0.1.yaml', 'python-boto3-aws-0.1.yaml', 'python-sdk-azure-0.1.yaml', 'yq-0.5.yaml', 'argocd-task-connect-repo-0.1.yaml', 'kubectl-deploy-pod-0.1.yaml']) {
    assert.deepEqual(ds.filter((d) => d.file!.endsWith(`/${f}`) && d.severity === 'error'), [], f);
  }
});

test('catalog: lint findings match the defects the corpus notes list', () => {
  const { ds } = run('catalog');
  // References Tekton leaves literal: anchore-cli's secretKeyRef name param, rhacs' default
  // pointing at a Pipeline-level param that the Task does not declare.
  assert.deepEqual(ds.filter((d) => d.rule === 'undeclared-param').map((d) => `${basename(d.file!)}: ${d.paths[0]}`), [
    'anchore-cli-0.1.yaml: spec.steps[0].env[0].valueFrom.secretKeyRef.name',
    'anchore-cli-0.1.yaml: spec.steps[0].env[1].valueFrom.secretKeyRef.name',
    'rhacs-image-check-4.0.yaml: spec.params[2].default',
    'rhacs-image-scan-4.0.yaml: spec.params[2].default',
  ]);
  // §1.4 lists [[ ]] under /bin/sh in git-batch-merge/0.3, remote-ssh-commands/0.1, s2i/0.3,
  // tekton-operator-install/0.1 (latest versions). tektite also checks other bash-only syntax:
  // buildah/0.9 builds an array (`BUILD_ARGS=()`), skopeo-copy/0.4 uses `read -ra … <<<`.
  assert.deepEqual(byFile(ds, (d) => d.rule === 'sh-bashism'), [
    'buildah-0.9.yaml', 'git-batch-merge-0.3.yaml', 'remote-ssh-commands-0.1.yaml', 's2i-0.3.yaml', 'skopeo-copy-0.4.yaml', 'tekton-operator-install-0.1.yaml',
  ]);
  // yq/0.5 starts its script with `/usr/bin/env sh` without `#!`.
  assert.deepEqual(byFile(ds, (d) => d.rule === 'script-shebang'), ['yq-0.5.yaml']);
  // Only two steps use a floating `:latest`; every other literal image has a tag or digest.
  assert.deepEqual(byFile(ds, (d) => d.rule === 'image-unpinned'), ['jumpstarter-get-lease-0.1.yaml', 'jumpstarter-release-lease-0.1.yaml']);
  // The same env var set twice in one step (the earlier value is dead).
  assert.deepEqual(ds.filter((d) => d.rule === 'duplicate-env').map((d) => `${basename(d.file!)}: ${d.paths[0]}`), [
    'nexus-lifecycle-scan-0.1.yaml: spec.steps[0].env[5].name',
    'terraform-cli-0.2.yaml: spec.steps[0].env[2].name',
    'terraform-cli-0.2.yaml: spec.steps[1].env[2].name',
  ]);
  // Params nothing refers to: buildpacks-phases reads the user and group ids from the builder
  // image instead; the others are left over.
  assert.deepEqual(ds.filter((d) => d.rule === 'unused-param').map((d) => `${basename(d.file!)}: ${d.message.split('"')[1]}`), [
    'buildpacks-phases-0.3.yaml: CNB_GROUP_ID',
    'buildpacks-phases-0.3.yaml: CNB_USER_ID',
    'helm-upgrade-from-repo-0.3.yaml: release_version',
    'python-sdk-azure-0.1.yaml: azure-region',
    'terraform-cli-0.2.yaml: noProxy',
  ]);
  // catlin warns on $(params…) in scripts too; git-clone/0.10 already uses the env form.
  const scriptRefs = byFile(ds, (d) => d.rule === 'script-reference');
  assert.ok(scriptRefs.length > 80, `files with params pasted into scripts: ${scriptRefs.length}`);
  assert.ok(!scriptRefs.includes('git-clone-0.10.yaml'));
  // No unknown fields, no undeclared workspaces or volumes, no result over budget, no YAML 1.1
  // surprises in the latest versions.
  assert.deepEqual(ds.filter((d) => ['unknown-field', 'undeclared-workspace', 'undeclared-volume', 'result-budget', 'yaml11-scalar'].includes(d.rule ?? '')), []);
});

test('Tekton examples: every Task and TaskRun validates without an error', () => {
  const { docs, ds, syntax } = run('tekton-examples');
  assert.deepEqual(syntax, []);
  assert.ok(docs.length >= 14);
  assert.deepEqual(ds.filter((d) => d.severity === 'error'), []);
});

test('catalog tests (TaskRuns, Pipelines, PipelineRuns around catalog Tasks) validate without an error', () => {
  const { docs, ds } = run('catalog-tests');
  assert.ok(docs.some((d) => d.kind === 'PipelineRun' || d.kind === 'Pipeline'));
  assert.deepEqual(ds.filter((d) => d.severity === 'error'), []);
});
