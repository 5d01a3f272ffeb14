/** The stand-in identity platform's login page: a plain form, no scripts, no external resources. */
export function renderLoginPage(opts: { action: string; failed?: boolean }): string {
  const error = opts.failed
    ? '<p class="error" role="alert">用户名或密码错误 / Wrong username or password</p>'
    : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>统一身份认证平台</title>
<style>
body { font-family: system-ui, sans-serif; background: #f3f5f8; margin: 0; }
main { max-width: 360px; margin: 12vh auto; background: #fff; padding: 32px; border-radius: 8px;
  box-shadow: 0 2px 12px rgba(0,0,0,.08); }
h1 { font-size: 20px; margin: 0 0 4px; color: #1f3a60; }
p.sub { color: #667; margin: 0 0 24px; font-size: 13px; }
label { display: block; margin-bottom: 14px; font-size: 14px; color: #333; }
input { display: block; width: 100%; box-sizing: border-box; margin-top: 6px; padding: 8px; font-size: 15px; }
button { width: 100%; padding: 10px; background: #1f5fa8; color: #fff; border: 0; border-radius: 4px; font-size: 15px; }
.error { color: #b00020; font-size: 14px; }
</style>
</head>
<body>
<main>
<h1>统一身份认证平台</h1>
<p class="sub">Unified identity platform (demo)</p>
${error}
<form method="post" action="${opts.action}">
<label>用户名 / Username<input name="username" autocomplete="username" required autofocus></label>
<label>密码 / Password<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录 / Sign in</button>
</form>
</main>
</body>
</html>
`;
}
