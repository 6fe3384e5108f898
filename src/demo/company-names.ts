// Plausible, unique B2B company names and domains for the demo portfolio.
// Domains are under example.com, which is reserved and never a real customer.
import { deriveSeed, pick, seededRandom, shuffle } from './seeded-random.js';

const HEADS = ['North', 'Blue', 'Silver', 'Iron', 'Red', 'Green', 'Bright', 'Clear', 'High', 'Stone', 'Oak', 'Pine', 'Cedar', 'River', 'Lake', 'Sun', 'Star', 'Cloud', 'Swift', 'True', 'Gold', 'Copper', 'Summit', 'Harbor', 'Maple', 'Falcon', 'Eagle', 'Fox', 'Crystal', 'Elm'];
const TAILS = ['wind', 'field', 'bridge', 'gate', 'point', 'wood', 'stone', 'brook', 'ridge', 'crest', 'view', 'haven', 'line', 'works', 'way', 'path', 'peak', 'light', 'water', 'mark', 'port', 'dale', 'vale', 'spring'];
/** Single-word brands, including the classics people recognise in a demo. */
const CLASSICS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Aperture', 'Nimbus', 'Pioneer', 'Quantum', 'Evergreen', 'Vertex', 'Zenith', 'Atlas', 'Beacon', 'Sterling'];
const INDUSTRIES = ['Logistics', 'Foods', 'Manufacturing', 'Retail', 'Health', 'Labs', 'Systems', 'Supply', 'Industries', 'Analytics', 'Motors', 'Textiles', 'Pharma', 'Energy', 'Freight', 'Dental', 'Robotics', 'Outfitters', 'Brewing', 'Packaging', 'Furniture', 'Hospitality', 'Media', 'Security', 'Components'];
const LEGAL_FORMS = ['', '', '', 'Inc', 'Ltd', 'GmbH', 'Group', 'Co', 'AG', 'BV', 'SA', 'LLC'];
/** Only needed past ~18,000 accounts, when brand × industry runs out. */
const REGIONS = ['Americas', 'Europe', 'Asia Pacific', 'Nordics', 'Iberia', 'Benelux', 'Africa', 'Middle East'];

const BRANDS = [...HEADS.flatMap((head) => TAILS.filter((tail) => tail !== head.toLowerCase()).map((tail) => head + tail)), ...CLASSICS];

export interface CompanyIdentity {
  name: string;
  domain: string;
}

/** `count` distinct names (and domains, so every name, domain and id resolves to one account). */
export function generateCompanyNames(seed: number, count: number): CompanyIdentity[] {
  const random = seededRandom(deriveSeed(seed, 1));
  const combinations = BRANDS.length * INDUSTRIES.length;
  // A shuffled walk over every brand × industry pair: unique without retry loops.
  const order = shuffle(random, Array.from({ length: combinations }, (_, i) => i));
  const out: CompanyIdentity[] = [];
  for (let i = 0; i < count; i += 1) {
    const combination = order[i % combinations] ?? 0;
    const round = Math.floor(i / combinations);
    const brand = BRANDS[Math.floor(combination / INDUSTRIES.length)] ?? 'Acme';
    const industry = INDUSTRIES[combination % INDUSTRIES.length] ?? 'Systems';
    const region = round === 0 ? '' : (REGIONS[round - 1] ?? `Unit ${round}`);
    const form = pick(random, LEGAL_FORMS);
    const name = [brand, industry, region, form].filter((part) => part !== '').join(' ');
    const slug = [brand, industry, region].join('').toLowerCase().replace(/[^a-z0-9]+/g, '');
    out.push({ name, domain: `${slug}.example.com` });
  }
  return out;
}
