# syntax=docker/dockerfile:1
# Node 24, the project's target LTS runtime.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# mongodb-memory-server (a dev dependency, for machines without Java) would download a mongod in
# its install script; the image never runs it.
ENV MONGOMS_DISABLE_POSTINSTALL=1
COPY package.json package-lock.json ./
COPY admin-console/package.json ./admin-console/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
# `npm run build` checks the Node version first (its prebuild script).
COPY scripts/check-node.js ./scripts/
COPY src ./src
COPY admin-console ./admin-console
# The API, and the admin console's static files (its packages are build-time only: pruned).
RUN npm run build && npm prune --omit=dev
# Node's compile cache (src/compile-cache.ts), filled here: a new container's temporary folder is
# empty, so each container's first start would compile every module again. Filled as the user the
# image runs as, since Node keeps one cache per user id.
RUN mkdir .compile-cache && chown node .compile-cache
USER node
RUN NODE_COMPILE_CACHE=/app/.compile-cache node -e "require('./dist/app.module'); process.exit(0)"

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build --chown=node /app/.compile-cache ./.compile-cache
ENV NODE_COMPILE_CACHE=/app/.compile-cache
COPY --from=build /app/admin-console/dist ./admin-console/dist
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# A young generation of 8 MiB semi-spaces (V8 grows them to 32 MiB or more under load): about
# 110 MB less RSS after load at the same throughput (bench/RESULTS.md; the bench starts the API
# with these flags). NODE_DISABLE_COMPILE_CACHE=1 saves ~18 MB more at a slower start (see
# src/compile-cache.ts).
CMD ["node", "--max-semi-space-size=8", "dist/main"]
