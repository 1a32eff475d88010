/** Workspace names appear in URLs and on the command line: lower-case letters, digits, ., _ and -. */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function workspaceNameProblem(name: string): string | undefined {
  if (WORKSPACE_NAME.test(name)) return undefined;
  return `"${name}" is not a workspace name: use 1–63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit`;
}
