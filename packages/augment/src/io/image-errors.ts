/** Turns a sharp/libvips or file-system error about `path` into an error naming the file and the reason. */
export function imageReadError(op: string, path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  let reason: string;
  if (code === 'ENOENT') reason = 'file not found';
  else if (code === 'EISDIR') reason = 'a directory, not an image';
  else if (code === 'EACCES') reason = 'permission denied';
  else if (/unsupported image format/i.test(message))
    reason = 'not a supported image format (JPEG, PNG, WebP, GIF, TIFF, AVIF)';
  else if (
    /premature end|truncated|corrupt|invalid|bad|VipsJpeg|pngload|webpload|gifload|tiffload|heifload/i.test(message)
  )
    reason = `corrupt or truncated image data (${message.split('\n')[0]?.trim()})`;
  else reason = message.split('\n')[0]?.trim() ?? 'unreadable';
  const wrapped = new Error(`${op}: ${path} is not a readable image (${reason})`);
  (wrapped as Error & { cause?: unknown }).cause = error;
  return wrapped;
}
