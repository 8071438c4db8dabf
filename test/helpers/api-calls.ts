// Shared steps of the SDK-driven end-to-end tests: a user with a token and a role, and a call that must fail.

import { expect } from 'vitest';
import { ApiError, ModelyardClient, type Role } from '@modelyard/client';

/** A new user with a token, a member of `project` with `role` (or of no project when role is null). */
export async function userClient(
  admin: ModelyardClient,
  baseUrl: string,
  name: string,
  membership: { project: string; role: Role } | null,
): Promise<ModelyardClient> {
  const user = await admin.createUser({ name });
  const { token } = await admin.createToken(user.id, 't');
  if (membership !== null) await admin.setMember(membership.project, user.id, membership.role);
  return new ModelyardClient({ baseUrl, token });
}

/** The API error a call ends with; with `secret`, also checks the error never mentions it. */
export async function apiFailure(promise: Promise<unknown>, secret?: string): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    if (secret !== undefined) {
      expect(JSON.stringify(error)).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret);
    }
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}
