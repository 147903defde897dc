/** An event of separation of duties that central monitoring and the audit log must show. */
export interface SecurityAlert {
  action:
    | 'identity-role-granted'
    | 'identity-password-reset'
    | 'identity-account-enabled'
    | 'identity-request-made'
    | 'identity-request-refused';
  /** The account concerned. */
  target: string;
  role?: string;
  /** Who asked (a console user, or `device-cli` for the CLI as root). */
  by: string;
  /** The second holder of the identity right who approved, when it went through the console. */
  approvedBy?: string;
  at: string;
}

/** What the console's accounts publish. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A console login was revoked (logout, password changed, account disabled): its websockets close. */
    consoleAccessRevoked: [];
    /** Separation of duties: a right to read identities was granted or an identity holder's password reset. */
    securityAlert: [alert: SecurityAlert];
  }
}
