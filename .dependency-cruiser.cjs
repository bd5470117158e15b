/**
 * Who may import what (docs/architecture.md). `npm run lint` runs this through dependency-cruiser;
 * an import that crosses a layer the wrong way fails the lint step.
 *
 *   lib  <-  workflows  <-  models  <-  adapters, uploads  <-  domain  <-  reports  <-  server
 *
 * embedded-mongo imports nothing of the app, and the app reaches it only through server/db;
 * web/ is the browser's code: it imports nothing outside web/ and nothing imports it.
 */
const APP = '^(lib|workflows|models|adapters|uploads|domain|reports|server)/';
const HTTP_PACKAGES = 'node_modules/(@types/)?(express|express-serve-static-core|multer|supertest|body-parser)/';

module.exports = {
  forbidden: [
    {
      name: 'lib-imports-nothing-above',
      comment: 'lib/ holds process-wide pieces below every layer: it imports no folder of the app.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(workflows|models|adapters|uploads|domain|reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'workflows-stay-pure',
      comment: 'workflows/ is data and pure rules: it may use lib/ only.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(models|adapters|uploads|domain|reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'models-below-domain',
      comment: 'models/ are schemas: they may use lib/ and workflows/, never use cases or routes.',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^(adapters|uploads|domain|reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'adapters-below-domain',
      comment: 'adapters/ (mail, webhook) know nothing of use cases or HTTP.',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^(uploads|domain|reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'uploads-below-domain',
      comment: 'uploads/ (PDF checks, storage, workers) knows nothing of use cases or HTTP.',
      severity: 'error',
      from: { path: '^uploads/' },
      to: { path: '^(adapters|domain|reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'domain-free-of-the-edge',
      comment: 'domain/ is plain objects in and out: no server/ code, and no file writers (reports/).',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^(reports|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'reports-below-the-edge',
      comment: 'reports/ writes files (PDF, DOCX, XLSX, charts) from what domain/ computes: it may use lib/, workflows/ and domain/, never the database, adapters, uploads or HTTP.',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^(models|adapters|uploads|server|embedded-mongo|web|test|bench)/' },
    },
    {
      name: 'no-http-below-the-edge',
      comment: 'Express, multer and request validation belong to server/ only.',
      severity: 'error',
      from: { path: '^(lib|workflows|models|adapters|uploads|domain|reports)/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'], path: HTTP_PACKAGES },
    },
    {
      name: 'embedded-mongo-stands-alone',
      comment: 'embedded-mongo/ is a database server of its own: it imports nothing of the app.',
      severity: 'error',
      from: { path: '^embedded-mongo/' },
      to: { path: `${APP}|^(web|test|bench)/` },
    },
    {
      name: 'embedded-mongo-through-server-db',
      comment: 'The app starts the embedded server in server/db only.',
      severity: 'error',
      from: { path: APP, pathNot: '^server/db/' },
      to: { path: '^embedded-mongo/' },
    },
    {
      name: 'web-is-separate',
      comment: "web/ is the browser's code: it imports nothing outside web/, and nothing imports it.",
      severity: 'error',
      from: { path: '^web/' },
      to: { pathNot: '^web/' },
    },
    {
      name: 'nothing-imports-web',
      severity: 'error',
      from: { pathNot: '^web/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular-app',
      comment: 'Cycles between modules of the app make the order of their loading matter.',
      severity: 'error',
      from: { path: APP },
      to: { circular: true },
    },
    {
      name: 'no-circular-embedded-mongo',
      comment: 'The embedded server is layered (wire, commands, txn, query, storage, bson): no module of it may reach itself again through its imports, type-only imports included.',
      severity: 'error',
      from: { path: '^embedded-mongo/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-dependencies-in-the-app',
      comment: 'What the service runs must be in dependencies, not devDependencies.',
      severity: 'error',
      from: { path: APP },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|bench/out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
