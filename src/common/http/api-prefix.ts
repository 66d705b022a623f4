/** Every API route lives under this prefix (health probes, /metrics, /docs, /files and /admin do not). */
export const API_PREFIX = 'api/v1';
