FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
EXPOSE 3000
USER node
# as `npm start` runs it; see "Memory" in docs/operations.md for the heap limit
CMD ["node", "--max-old-space-size=512", "--import", "tsx", "src/main.ts"]
