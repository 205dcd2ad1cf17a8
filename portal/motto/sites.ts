/**
 * もっとつながる: the external sites linked to the portal (table motto_sites) and the residents'
 * use of them (motto_links). The demo sites are FICTIONAL and live under the reserved
 * `.example` domain (RFC 2606).
 */
import type { Db } from '../db/database.ts';

export interface MottoSite {
  id: string;
  name: string;
  description: string;
  category: string;
  siteUrl: string;
  /** Where the app hands the resident over with the assertion (POST form field `assertion`). */
  loginUrl: string;
}

export const DEMO_MOTTO_SITES: MottoSite[] = [
  {
    id: 'demo-etax',
    name: '国税電子申告・納税システム（デモ）',
    description: '確定申告書の作成・提出。マイナポータルから自己情報（医療費・公的年金等）を取得して入力できます。',
    category: '税',
    siteUrl: 'https://etax.demo.example/',
    loginUrl: 'https://etax.demo.example/myna/login',
  },
  {
    id: 'demo-nenkin-net',
    name: 'ねんきんネット（デモ）',
    description: '年金記録の確認、将来の年金見込額の試算。',
    category: '年金',
    siteUrl: 'https://nenkin-net.demo.example/',
    loginUrl: 'https://nenkin-net.demo.example/myna/login',
  },
  {
    id: 'demo-hellowork',
    name: 'ハローワークインターネットサービス（デモ）',
    description: '求職者マイページ：求人検索、応募状況の確認、雇用保険の手続。',
    category: '就労',
    siteUrl: 'https://hellowork.demo.example/',
    loginUrl: 'https://hellowork.demo.example/myna/login',
  },
  {
    id: 'demo-chiyoda-shinsei',
    name: '千代田区 電子申請サービス（デモ）',
    description: '区の施設予約・各種届出の電子申請。',
    category: '自治体',
    siteUrl: 'https://shinsei.chiyoda.demo.example/',
    loginUrl: 'https://shinsei.chiyoda.demo.example/myna/login',
  },
];

/** Seed part (demo-seed/motto/1): the demo sites. */
export function seedMottoSites(db: Db): void {
  const ins = db.prepare(
    `INSERT INTO motto_sites (id, name, description, category, site_url, login_url, active, sort_order)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  DEMO_MOTTO_SITES.forEach((s, i) => {
    ins.run(s.id, s.name, s.description, s.category, s.siteUrl, s.loginUrl, i + 1);
  });
}

interface SiteRow {
  id: string;
  name: string;
  description: string;
  category: string;
  site_url: string;
  login_url: string;
}

const toSite = (r: SiteRow): MottoSite => ({
  id: r.id,
  name: r.name,
  description: r.description,
  category: r.category,
  siteUrl: r.site_url,
  loginUrl: r.login_url,
});

export function listSites(db: Db): MottoSite[] {
  return (db.prepare('SELECT * FROM motto_sites WHERE active = 1 ORDER BY sort_order, id').all() as SiteRow[]).map(
    toSite,
  );
}

export function loadSite(db: Db, id: string): MottoSite | undefined {
  const r = db.prepare('SELECT * FROM motto_sites WHERE id = ? AND active = 1').get(id) as SiteRow | undefined;
  return r && toSite(r);
}

/** Records that the resident used the site now (inside the caller's transaction). */
export function touchLink(db: Db, residentId: string, siteId: string, at: string, jti: string): void {
  db.prepare(
    `INSERT INTO motto_links (resident_id, site_id, first_used_at, last_used_at, assertion_count, last_jti)
     VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT (resident_id, site_id) DO UPDATE SET
       last_used_at = excluded.last_used_at, assertion_count = assertion_count + 1, last_jti = excluded.last_jti`,
  ).run(residentId, siteId, at, at, jti);
}

export function listLinks(db: Db, residentId: string) {
  return db
    .prepare(
      `SELECT s.id, s.name, s.category, s.site_url, s.login_url, l.first_used_at, l.last_used_at, l.assertion_count
         FROM motto_links l JOIN motto_sites s ON s.id = l.site_id
        WHERE l.resident_id = ? ORDER BY l.last_used_at DESC, s.id`,
    )
    .all(residentId) as {
    id: string;
    name: string;
    category: string;
    site_url: string;
    login_url: string;
    first_used_at: string;
    last_used_at: string;
    assertion_count: number;
  }[];
}
