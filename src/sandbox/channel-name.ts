// Account channels in the sandbox are named after their account, as a team
// would name them: "Acme Foods LLC" -> #acme-foods-llc.
export function channelName(accountName: string): string {
  const slug = accountName.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (slug || 'account').slice(0, 80);
}
