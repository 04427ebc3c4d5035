// Checking a policy without applying it: the console's Policy page sends the form as it is typed and shows every
// issue next to its field. The same schema as the configuration file and PUT /api/tenants/:id/policy. A valid
// policy comes back with `effective`: every rule's options as the engine runs them (a rule not listed has its
// defaults), which is what the form must show.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { tenantPolicySchema, type TenantPolicy } from '../../engine/policy.js';
import { RULES } from '../../rules/index.js';
import { apiError, route, type RouteTable } from '../route.js';

/** `policy` with each rule's options filled with their defaults (`false` for a rule turned off). */
export function effectivePolicy(policy: TenantPolicy): TenantPolicy {
  const rules: Record<string, unknown> = {};
  for (const rule of RULES) {
    const given = (policy.rules as Record<string, unknown>)[rule.id];
    rules[rule.id] = given === false ? false : rule.options.parse(given ?? {});
  }
  return { ...policy, rules };
}

export function registerPolicyCheckRoute(app: FastifyInstance, table: RouteTable): void {
  route(app, table, {
    method: 'POST',
    url: '/api/tenants/:id/policy/check',
    summary: 'Check a policy without applying it: ok, or every issue with its path',
    tag: 'policy',
    access: 'read',
    params: z.strictObject({ id: z.string().min(1) }),
    body: z.unknown(),
    handler: async ({ params, body, principal }, reply) => {
      if (!principal!.sees(params.id)) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${params.id}`);
      const r = tenantPolicySchema.safeParse(body);
      if (r.success) return { ok: true, policy: r.data, effective: effectivePolicy(r.data) };
      return {
        ok: false,
        issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      };
    },
  });
}
