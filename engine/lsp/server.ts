export async function startLanguageServer(_i: NodeJS.ReadableStream, _o: NodeJS.WritableStream, _cwd: string): Promise<void> {}
