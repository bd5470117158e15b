# syntax=docker/dockerfile:1
# The tracker for production: compiled once in a build stage, run as the unprivileged `node`
# user with only runtime dependencies. Settings come from the environment (README, Configuration).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Everything .dockerignore lets through: the sources tsconfig.build.json compiles and the build script.
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY web ./web
# Stored files (FILE_STORAGE=disk) and, without MONGODB_URI, the embedded database live here.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Ready means the database answers, not just that the process is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (no npm or shell in between): it handles SIGTERM itself, drains, closes the
# database and exits 0 within 9 s, inside Docker's default 10 s grace period.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/index.js"]
