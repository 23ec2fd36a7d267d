/**
 * Every error code the service family is known to send, with a one-line meaning; which service
 * sends each one is in docs/protocol.md, "Error codes".
 * The codes are exact wire strings, including the odd ones (`IP_BANNED`, `ERROR: 1001`). What to
 * do about each one is decided by `classify()`, not here: this table is for docs and tests.
 */
export const ERROR_CODES = Object.freeze({
  // in.php (submit)
  ERROR_WRONG_USER_KEY: 'The key is malformed (it must be 32 characters).',
  ERROR_KEY_DOES_NOT_EXIST:
    'The key is unknown, or (CaptchaAI) the account has no plan and no threads.',
  ERROR_ZERO_BALANCE: 'CaptchaAI: no free thread right now. 2captcha: the account has no money.',
  ERROR_NO_SLOT_AVAILABLE:
    'Every thread is busy (blog) or the bid is too low / queue too long (2captcha).',
  ERROR_PAGEURL: 'The pageurl parameter is missing.',
  ERROR_ZERO_CAPTCHA_FILESIZE:
    'The image is too small (under 100 bytes or 1 KB, the docs disagree).',
  ERROR_TOO_BIG_CAPTCHA_FILESIZE:
    'The image is too big (over 100 kB or 1024 KB, the docs disagree).',
  ERROR_WRONG_FILE_EXTENSION: 'The file extension is not jpg, jpeg, gif or png.',
  ERROR_IMAGE_TYPE_NOT_SUPPORTED: 'The server cannot recognise the image type.',
  ERROR_UPLOAD: 'The server could not read the file from the POST (bad multipart or base64).',
  IP_BANNED: 'This IP is banned after many requests with wrong keys; lifted after 5 minutes.',
  ERROR_IP_BANNED: 'A blog misspelling of IP_BANNED; treated the same way.',
  ERROR_BAD_TOKEN_OR_PAGEURL: 'The googlekey and pageurl pair is invalid (reCAPTCHA v2).',
  ERROR_GOOGLEKEY: 'The sitekey is blank or malformed.',
  ERROR_WRONG_GOOGLEKEY: 'The googlekey parameter is missing.',
  ERROR_CAPTCHAIMAGE_BLOCKED: 'The image is marked as unrecognisable.',
  ERROR_BAD_PARAMETERS: 'Required parameters are missing or in the wrong format.',
  ERROR_BAD_PROXY: 'The proxy is marked bad; use another one.',
  ERROR_SERVER_ERROR: 'Something went wrong on the server; retry after about 10 seconds.',
  ERROR_INTERNAL_SERVER_ERROR:
    'Something went wrong on the processing servers; retry after about 10 seconds.',
  ERROR_IP_NOT_ALLOWED: 'This IP is not on the account allow-list.',
  MAX_USER_TURN: '2captcha: over 60 in.php requests in 3 seconds; blocked for 10 seconds.',
  'ERROR: 1001': '2captcha: 120 ERROR_NO_SLOT_AVAILABLE in a minute; blocked for 10 minutes.',
  'ERROR: 1002': '2captcha: 120 ERROR_ZERO_BALANCE in a minute; blocked for 5 minutes.',
  'ERROR: 1003':
    '2captcha: NO_SLOT errors at 3x the uploads (at least 120); blocked for 30 seconds.',
  'ERROR: 1004': '2captcha: this IP sent 5 requests with a wrong key; blocked for 10 minutes.',
  'ERROR: 1005': '2captcha: over 20 res.php requests for one captcha; blocked for 5 minutes.',
  TOO_MANY_BAD_IMAGES: '2captcha: too many unrecognisable images were sent.',
  ERROR_CAPTCHA_ID: '2captcha GeeTest v4: the captcha_id is invalid.',
  ERROR_TOO_MUCH_REQUESTS: 'Rate limit hit (blog only); slow down for a few seconds.',
  ERROR_DOMAIN_NOT_ALLOWED: 'The page domain is not served.',
  ERROR_BAD_REQUEST: 'Not seen from CaptchaAI in any source (a CapSolver code).',
  ERROR_EMPTY_CAPTCHA: 'Seen only in a few generated examples; unverified.',
  // res.php (poll, report, balance)
  ERROR_CAPTCHA_UNSOLVABLE:
    'The captcha could not be solved; final for this id (a resubmit is allowed).',
  ERROR_WRONG_ID_FORMAT:
    'The task id is not digits only (also what a service without ids= support says).',
  ERROR_WRONG_CAPTCHA_ID: 'The task id is unknown, or (2captcha) older than 15 minutes.',
  ERROR_EMPTY_ACTION: 'The action parameter is missing or empty.',
  ERROR_PROXY_CONNECTION_FAILED: 'The worker could not load the captcha through the proxy.',
  ERROR_BAD_DUPLICATES: '2captcha: the 100%-accuracy mode ran out of attempts.',
  ERROR_TOKEN_EXPIRED: '2captcha GeeTest: the challenge expired.',
  REPORT_NOT_RECORDED:
    '2captcha: the report was refused (too many reports, or the task is too old).',
  ERROR_REPORT_NOT_RECORDED: 'Another spelling of REPORT_NOT_RECORDED.',
  ERROR_DUPLICATE_REPORT: 'This task was already reported.',
  ERROR_IP_ADDRES: '2captcha (sic): pingback registration from an IP that does not match.',
} as const);

/** A code listed in {@link ERROR_CODES}. The service may send others; they stay plain strings. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The "not solved yet" answer, spelt as the service spells it. Not an error: the answer to poll
 * again. `CAPTCHA_NOT_READY` is tolerated by the parser although the service never sends it.
 */
export const NOT_READY = 'CAPCHA_NOT_READY';

/** True when `code` is one of the codes in {@link ERROR_CODES}. */
export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
