/** A Cloudinary product environment, as `CLOUDINARY_URL` names it. */
export interface CloudinaryAccount {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /**
   * Where the Upload and Admin APIs live (default `https://api.cloudinary.com`). Set through the
   * URL's `upload_prefix` parameter, as the SDK reads it: a regional endpoint, or a local stand-in
   * in tests (plain `http://` is then used as given).
   */
  uploadPrefix?: string;
  /** What the product environment verifies signatures with (Cloudinary's default is SHA-1). */
  signatureAlgorithm: 'sha1' | 'sha256';
}

const PARAMETERS = new Set(['upload_prefix', 'signature_algorithm']);

/**
 * Parses `cloudinary://<api_key>:<api_secret>@<cloud_name>[?upload_prefix=…&signature_algorithm=…]`
 * (the console's "API environment variable"). Returns the account, or a problem naming the
 * variable without repeating the secret.
 */
export function parseCloudinaryUrl(text: string): CloudinaryAccount | string {
  const shape = 'CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return shape;
  }
  if (url.protocol !== 'cloudinary:' || !url.username || !url.password || !url.hostname)
    return shape;
  for (const name of url.searchParams.keys()) {
    if (!PARAMETERS.has(name))
      return `CLOUDINARY_URL has an unsupported parameter "${name}" (only upload_prefix and signature_algorithm)`;
  }
  const uploadPrefix = url.searchParams.get('upload_prefix') ?? undefined;
  if (uploadPrefix !== undefined && !/^https?:\/\/[^/?#]+$/.test(uploadPrefix))
    return 'CLOUDINARY_URL upload_prefix must be an origin such as https://api.cloudinary.com';
  const algorithm = url.searchParams.get('signature_algorithm') ?? 'sha1';
  if (algorithm !== 'sha1' && algorithm !== 'sha256')
    return 'CLOUDINARY_URL signature_algorithm must be sha1 or sha256';
  return {
    cloudName: decodeURIComponent(url.hostname),
    apiKey: decodeURIComponent(url.username),
    apiSecret: decodeURIComponent(url.password),
    ...(uploadPrefix ? { uploadPrefix } : {}),
    signatureAlgorithm: algorithm,
  };
}
