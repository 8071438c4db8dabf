// Webhook targets: only http(s) URLs are accepted, and logs and answers show them without user info or query.

import { badRequest } from '../errors.js';

/** The URL, or 400 `invalid_webhook_url` for anything but an absolute http(s) URL. */
export function checkWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest('invalid_webhook_url', 'The webhook URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badRequest('invalid_webhook_url', `A webhook URL must be http or https, not ${url.protocol.slice(0, -1)}.`, {
      protocol: url.protocol.slice(0, -1),
    });
  }
  return url;
}

/** Origin and path only: user info and the query (where tokens tend to live) never reach logs or answers. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/** The URL without user info (a password in it is never shown back); rule answers show the rest. */
export function withoutUserInfo(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(invalid url)';
  }
}
