// Layer 2 (shared vocabulary and small helpers): may import state-machine.
/**
 * Nest injection tokens for process-wide values that CoreModule provides and domain modules
 * inject. They live here, below config/, so the module that provides a value and the modules
 * that use it import the token from the same low place.
 */

/** The SecretBox that seals credentials and OIDC login state at rest. */
export const SECRET_BOX = Symbol('SECRET_BOX');

/** The HS256 key (a Buffer) that signs and checks hostwatch's own access tokens. */
export const JWT_SIGNING_KEY = Symbol('JWT_SIGNING_KEY');
