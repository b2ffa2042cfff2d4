/**
 * The one answer to an email that is already taken, by sign-up and POST /users alike: it names no
 * organization and does not say "exists", and it is the same for a colleague's address and for one
 * in another organization (the statement runs the same Argon2 hash and insert in both cases, so
 * neither status, body nor time tells them apart). Emails are unique across the deployment (they
 * are the login), so a taken one cannot be used; what the refusal does reveal is limited by the
 * failed-authentication limits (sign-up) and by the caller being an authenticated admin (POST /users).
 */
export const EMAIL_UNUSABLE = "This email cannot be used";
