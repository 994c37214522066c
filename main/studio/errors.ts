import type { z } from 'zod';

/**
 * An expected failure whose message is meant for people ("That image is in the trash.").
 * The dispatcher sends its message as is; anything else is logged with its stack too.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export const notFound = (what: string, id: string | number): UserError =>
  new UserError(`No ${what} with id "${id}" (it may have been deleted).`);

/** "gallery.list: limit: Too small: expected number to be >=1; (root): Unrecognized key: "x"" */
export function describeIssues(wireName: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(payload)'}: ${issue.message}`);
  return `${wireName}: invalid request: ${issues.join('; ')}`;
}
