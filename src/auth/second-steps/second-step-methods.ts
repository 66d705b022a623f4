/**
 * The second steps of a sign-in, by name, and what can complete each: the one list the DTOs, the
 * mfa token's `mth` claim, the event map and the metrics take their types from. A new method adds
 * its line here and its class (a SecondStep) to the registry; the order here is only the order of
 * the OpenAPI enum (the registry orders the offer). No imports: every layer may use it.
 */
export const SECOND_STEPS = {
  /** A code mailed to the account's address. */
  email_otp: ['email_otp'],
  /** An authenticator app; its recovery codes complete the same step. */
  totp: ['totp', 'recovery_code'],
  /** A passkey's signed challenge (after a password, for accounts that have one). */
  passkey: ['passkey'],
} as const;

/** A second step a sign-in can ask for (`method` in the mfaRequired answer). */
export type SecondStepName = keyof typeof SECOND_STEPS;

/** What completed a second step: a method's own answer, or an alternative such as a recovery code. */
export type SecondStepMethod = (typeof SECOND_STEPS)[SecondStepName][number];

export const SECOND_STEP_NAMES = Object.keys(SECOND_STEPS) as SecondStepName[];

export const SECOND_STEP_METHODS: readonly SecondStepMethod[] = [
  ...new Set(Object.values(SECOND_STEPS).flat()),
];
