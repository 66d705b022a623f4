/** A connection URL as a message or log line may show it: the password replaced by `***`. */
export const redactUrlPassword = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
