export { DecryptError, decrypt, encrypt, isEncrypted, keyIdOf, reencrypt } from "./cipher.ts";
export { requireEncryptionKey, secretsEnv } from "./env.ts";
export { generateKeyringText, type Keyring, KeyringError, parseKeyring } from "./keyring.ts";
export { type KeyedMac, keyedMac, type MacRefusal } from "./mac.ts";
export { isMasked, MASK, maskUrlUserInfo, maskValue, userInfoOf } from "./mask.ts";
export {
  type Credential,
  isSealed,
  MaskedValueError,
  maskedDocument,
  openDocument,
  type Path,
  rotateDocument,
  SEALED_FIELD,
  sealDocument,
} from "./sealed.ts";
export { GENERATED_KEY_ID, generatedSetting, resolveAppSecret, resolveKeyring } from "./settings.ts";
