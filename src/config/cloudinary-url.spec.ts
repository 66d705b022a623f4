import { parseCloudinaryUrl } from './cloudinary-url';

describe(parseCloudinaryUrl.name, () => {
  it('reads key, secret and cloud name, with SHA-1 by default', () => {
    expect(parseCloudinaryUrl('cloudinary://123456:s3cr%2Ft@my-cloud')).toEqual({
      cloudName: 'my-cloud',
      apiKey: '123456',
      apiSecret: 's3cr/t',
      signatureAlgorithm: 'sha1',
    });
  });

  it('takes an upload prefix and SHA-256 as the SDK does, from the query', () => {
    expect(
      parseCloudinaryUrl(
        'cloudinary://k:s@c?upload_prefix=https://api-eu.cloudinary.com&signature_algorithm=sha256',
      ),
    ).toMatchObject({
      uploadPrefix: 'https://api-eu.cloudinary.com',
      signatureAlgorithm: 'sha256',
    });
  });

  it.each([
    ['https://k:s@c', /must look like/],
    ['cloudinary://k@c', /must look like/],
    ['cloudinary://:s@c', /must look like/],
    ['not a url', /must look like/],
    ['cloudinary://k:s@c?secure_distribution=x', /unsupported parameter "secure_distribution"/],
    ['cloudinary://k:s@c?upload_prefix=ftp://x', /upload_prefix/],
    ['cloudinary://k:s@c?upload_prefix=https://x/path', /upload_prefix/],
    ['cloudinary://k:s@c?signature_algorithm=md5', /sha1 or sha256/],
  ])('refuses %s, naming the variable but never the secret', (url, message) => {
    const problem = parseCloudinaryUrl(url);
    expect(typeof problem).toBe('string');
    expect(problem).toMatch(message);
    expect(problem).toMatch(/^CLOUDINARY_URL/);
    expect(problem).not.toContain(':s@');
  });
});
