import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import { OidcClients } from './oidc-clients.service';
import { OidcStore } from './oidc-store';

type OidcErrors = typeof import('oidc-provider').errors;

/** Models whose single use the provider enforces through `consume`. */
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode']);

/**
 * The provider's adapter interface over our store: one adapter per model name. Clients come from
 * the admin-managed registry, everything else from the `oidc_records` collection. A `consume`
 * that loses the race for a code or refresh token refuses the request as the protocol says
 * (invalid_grant), so two parallel exchanges of one code never both get tokens.
 */
export function mongoAdapter(
  store: OidcStore,
  clients: OidcClients,
  errors: OidcErrors,
): AdapterConstructor {
  return class MongoAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      await store.upsert(this.kind, id, payload, expiresIn);
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      if (this.kind === 'Client') return clients.metadataFor(id);
      return store.find(this.kind, id);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return store.findBy(this.kind, 'userCode', userCode);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return store.findBy(this.kind, 'uid', uid);
    }

    async consume(id: string): Promise<void> {
      const won = await store.consume(this.kind, id);
      if (!won && SINGLE_USE.has(this.kind))
        throw new errors.InvalidGrant('grant request is invalid');
    }

    async destroy(id: string): Promise<void> {
      await store.destroy(this.kind, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeByGrantId(grantId);
    }
  };
}
