/**
 * The text of the demo knowledge base's two binary documents, which `make-binaries.ts` renders:
 * the security overview (PDF, one entry per page) and the SLA (DOCX). The other documents are
 * plain files beside this one.
 */
export type Block =
  | { kind: 'title' | 'heading' | 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; rows: string[][] };

export const securityTitle = 'Lumen Security and Privacy Overview';

/**
 * The PDF, page by page. Each page starts with a section heading, unnumbered: a line starting
 * "1. " reads as a list item to a PDF extractor. Helvetica has no "→", so menus use ">".
 */
export const securityPages: Block[][] = [
  [
    { kind: 'title', text: securityTitle },
    { kind: 'paragraph', text: 'Version 3, updated 1 July 2024. For customers and prospects.' },
    { kind: 'heading', text: 'Overview' },
    {
      kind: 'paragraph',
      text: 'This overview describes how Lumen Software Ltd. protects the calendars, bookings and personal data that customers entrust to Lumen. It covers hosting, encryption, access by Lumen staff, backups, data deletion, compliance and how we handle incidents. The latest version is always at lumen.example/security.',
    },
    { kind: 'heading', text: 'Where your data is hosted' },
    {
      kind: 'paragraph',
      text: 'Lumen runs on Amazon Web Services. Workspaces in the EU region are hosted in Frankfurt, Germany (eu-central-1); workspaces in the US region are hosted in Northern Virginia, USA (us-east-1). The region is chosen when the workspace is created, and all of its data, including backups, stays in that region.',
    },
    {
      kind: 'paragraph',
      text: 'Enterprise workspaces can move to the other region once per year, at no charge, in a maintenance window agreed with their customer success manager.',
    },
  ],
  [
    { kind: 'heading', text: 'Encryption' },
    {
      kind: 'paragraph',
      text: 'All data is encrypted at rest with AES-256, including databases, file storage and backups.',
    },
    {
      kind: 'paragraph',
      text: 'All traffic to and from Lumen uses TLS 1.2 or higher; older protocol versions are refused. HTTP Strict Transport Security (HSTS) is enabled on every Lumen domain.',
    },
    {
      kind: 'paragraph',
      text: 'The OAuth tokens that connect Lumen to your calendars are encrypted again with a key per workspace, held in AWS Key Management Service (KMS) and rotated every 90 days.',
    },
    { kind: 'heading', text: 'Access by Lumen staff' },
    {
      kind: 'paragraph',
      text: 'Lumen staff cannot see the content of your workspace unless a workspace Admin grants support access, which lasts 48 hours and can be revoked at any time. Grant it under Admin > Security > Grant support access. Every action taken by Lumen staff is recorded in your admin audit log.',
    },
    {
      kind: 'paragraph',
      text: 'Production systems are reachable only through single sign-on with hardware security keys, and staff access is reviewed every quarter.',
    },
  ],
  [
    { kind: 'heading', text: 'Backups and recovery' },
    {
      kind: 'paragraph',
      text: 'Backups are taken every 6 hours, encrypted, stored in a second availability zone of the same region, and kept for 35 days.',
    },
    {
      kind: 'paragraph',
      text: 'Every quarter we restore a backup into an isolated environment to prove that restores work. Our recovery point objective (RPO) is 6 hours and our recovery time objective (RTO) is 4 hours.',
    },
    { kind: 'heading', text: 'Data retention and deletion' },
    {
      kind: 'paragraph',
      text: 'When a workspace is deleted, its data is kept for 30 days so that the Owner can restore it, then deleted from our live systems. Deleted data disappears from backups as they expire, at most 35 days later.',
    },
    {
      kind: 'paragraph',
      text: 'The booking data of a guest who asks to be forgotten is deleted within 30 days of the request.',
    },
  ],
  [
    { kind: 'heading', text: 'Compliance' },
    {
      kind: 'bullets',
      items: [
        'SOC 2 Type II: audited every year by an independent firm. Customers can read the latest report under NDA at trust.lumen.example.',
        'ISO/IEC 27001: certified since 2022.',
        'GDPR: Lumen acts as a processor. A data processing agreement (DPA) is part of our terms and can be signed in the app under Admin > Legal.',
        "Subprocessors are listed at lumen.example/subprocessors. We give 30 days' notice by email before adding a new subprocessor.",
      ],
    },
  ],
  [
    { kind: 'heading', text: 'Security incidents' },
    {
      kind: 'paragraph',
      text: 'If we confirm a breach of personal data, we notify affected customers within 72 hours, by email to the workspace Owner and Admins, and post updates on status.lumen.example.',
    },
    { kind: 'heading', text: 'Reporting a vulnerability' },
    {
      kind: 'paragraph',
      text: "Report a vulnerability to security@lumen.example. We acknowledge every report within 3 business days. Our bug bounty pays up to $10,000 for critical findings; please do not test against other customers' workspaces.",
    },
  ],
];

export const slaTitle = 'Service Level Agreement (SLA)';

export const slaBlocks: Block[] = [
  { kind: 'title', text: slaTitle },
  {
    kind: 'paragraph',
    text: 'Effective from 1 July 2024. This Service Level Agreement applies to workspaces on the Business and Enterprise plans. It does not apply to the Free and Team plans or to trials.',
  },
  { kind: 'heading', text: 'Uptime commitment' },
  {
    kind: 'paragraph',
    text: 'Lumen commits to the following monthly uptime for the web app, booking pages and the API:',
  },
  { kind: 'bullets', items: ['Business plan: 99.9% monthly uptime.', 'Enterprise plan: 99.95% monthly uptime.'] },
  { kind: 'heading', text: 'How uptime is measured' },
  {
    kind: 'paragraph',
    text: 'External probes check Lumen every minute from three regions (Europe, North America and Asia). A minute counts as downtime when at least 2 of the 3 probes fail. Monthly uptime is the share of minutes in the calendar month that were not downtime, leaving out the exclusions below.',
  },
  { kind: 'heading', text: 'Service credits' },
  {
    kind: 'paragraph',
    text: "If monthly uptime falls below the commitment, you receive a service credit, as a share of that month's fee:",
  },
  {
    kind: 'table',
    rows: [
      ['Monthly uptime', 'Service credit'],
      ['Below the commitment, but at least 99.0%', '10%'],
      ['Below 99.0%, but at least 95.0%', '25%'],
      ['Below 95.0%', '50%'],
    ],
  },
  {
    kind: 'paragraph',
    text: 'Service credits are applied to your next invoice. They are not paid out in cash, and the credit for one month never exceeds 50% of that month\u2019s fee.',
  },
  { kind: 'heading', text: 'How to claim a credit' },
  {
    kind: 'paragraph',
    text: 'Email sla@lumen.example within 30 days after the end of the affected month, with your workspace ID and the dates and times of the incident. We answer every claim within 10 business days.',
  },
  { kind: 'heading', text: 'Exclusions' },
  {
    kind: 'bullets',
    items: [
      'Scheduled maintenance, announced on status.lumen.example at least 72 hours ahead. Maintenance takes place on Sundays between 02:00 and 06:00 UTC and lasts at most 4 hours per month.',
      'Outages of Google Calendar, Microsoft 365, iCloud or other calendar providers.',
      "Problems caused by the customer's own network or identity provider, or by misuse of the service.",
    ],
  },
  { kind: 'heading', text: 'Support response targets' },
  {
    kind: 'table',
    rows: [
      ['Priority', 'Business', 'Enterprise'],
      ['Priority 1: service unavailable', '4 hours', '1 hour, 24/7'],
      ['Priority 2: major feature impaired', '1 business day', '4 hours'],
      ['Priority 3: question or minor issue', '2 business days', '2 business days'],
    ],
  },
];
