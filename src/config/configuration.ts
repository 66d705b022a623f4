import { ConfigType, registerAs } from '@nestjs/config';
import { Env, parseEnv } from './env';

/**
 * Typed configuration namespaces. Each reads the already-validated environment; inject with
 * `@Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>`.
 */
const section = <K extends keyof Env>(key: K) =>
  registerAs(key, (): Env[K] => parseEnv(process.env)[key]);

export const appConfig = section('app');
export const metricsConfig = section('metrics');
export const databaseConfig = section('database');
export const jwtConfig = section('jwt');
export const signingKeysConfig = section('signingKeys');
export const passwordConfig = section('password');
export const otpConfig = section('otp');
export const usersConfig = section('users');
export const loginConfig = section('login');
export const mailConfig = section('mail');
export const assetsConfig = section('assets');
export const adminConfig = section('admin');
export const rateLimitConfig = section('rateLimit');
export const totpConfig = section('totp');
export const oauthConfig = section('oauth');
export const webauthnConfig = section('webauthn');
export const redisConfig = section('redis');
export const oidcConfig = section('oidc');
export const webhooksConfig = section('webhooks');

export const allConfig = [
  appConfig,
  metricsConfig,
  databaseConfig,
  jwtConfig,
  signingKeysConfig,
  passwordConfig,
  otpConfig,
  usersConfig,
  loginConfig,
  mailConfig,
  assetsConfig,
  adminConfig,
  rateLimitConfig,
  totpConfig,
  oauthConfig,
  webauthnConfig,
  redisConfig,
  oidcConfig,
  webhooksConfig,
];

export type AppConfig = ConfigType<typeof appConfig>;
export type MetricsConfig = ConfigType<typeof metricsConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type JwtConfig = ConfigType<typeof jwtConfig>;
export type SigningKeysConfig = ConfigType<typeof signingKeysConfig>;
export type PasswordConfig = ConfigType<typeof passwordConfig>;
export type OtpConfig = ConfigType<typeof otpConfig>;
export type UsersConfig = ConfigType<typeof usersConfig>;
export type LoginConfig = ConfigType<typeof loginConfig>;
export type MailConfig = ConfigType<typeof mailConfig>;
export type AssetsConfig = ConfigType<typeof assetsConfig>;
export type AdminConfig = ConfigType<typeof adminConfig>;
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;
export type TotpConfig = ConfigType<typeof totpConfig>;
export type OAuthConfig = ConfigType<typeof oauthConfig>;
export type WebAuthnConfig = ConfigType<typeof webauthnConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type OidcConfig = ConfigType<typeof oidcConfig>;
export type WebhooksConfig = ConfigType<typeof webhooksConfig>;
