// Rule `image-unpinned`: an image without tag or digest (or tagged `latest`) changes under the
// Task. Images taken from a param (`$(…)`) are skipped: the caller pins them.
import type { ContainerSite, Finding } from './finding.js';

export function imageTag(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return { tag: colon > slash ? name.slice(colon + 1) : undefined, digest };
}

export function imageRules(site: ContainerSite): Finding[] {
  const image = site.container.image;
  if (!image || image.includes('$(')) return [];
  const { tag, digest } = imageTag(image);
  if (digest) return [];
  if (tag && tag !== 'latest') return [];
  return [{
    rule: 'image-unpinned',
    message: tag ? `image "${image}" uses the moving tag latest` : `image "${image}" has no tag or digest (Kubernetes pulls :latest)`,
    path: `${site.path}.image`,
    raw: [...site.raw, 'image'],
    details: 'Pin a version tag, or better a digest (image@sha256:…), so the Task runs the same code tomorrow.',
  }];
}

/** Rule `relative-working-dir`: Tekton leaves a relative workingDir to the runtime (§4.4). */
export function workingDirRules(site: ContainerSite): Finding[] {
  const wd = site.container.workingDir;
  if (!wd || wd.startsWith('/') || wd.startsWith('$(')) return [];
  return [{
    rule: 'relative-working-dir',
    message: `workingDir "${wd}" is relative: Tekton creates /workspace/${wd} but how the container runtime resolves it is runtime-specific`,
    path: `${site.path}.workingDir`,
    raw: [...site.raw, 'workingDir'],
    details: `Write the absolute path, e.g. /workspace/${wd}.`,
  }];
}
