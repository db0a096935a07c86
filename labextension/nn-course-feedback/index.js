// nbgrader's Assignment List links "(view feedback)" to `filebrowser:go-to-path` on the submission's feedback folder,
// `<assignment>/feedback/<submission time>/`: the file browser shows that folder, and the student still has to find
// and open `<notebook>.html` in it. This plugin follows such a navigation by opening the folder's feedback pages in
// JupyterLab's HTML viewer. Untrusted is enough: the feedback's math is MathML, which needs no script.

// <submission time> as nbgrader writes it (Exchange.timestamp_format): "2026-12-07 23:03:01.123456 UTC"
const FEEDBACK_FOLDER = /(^|\/)feedback\/\d{4}-\d\d-\d\d [^/]+\/?$/;
const FEEDBACK_PAGE = /(^|\/)feedback\/\d{4}-\d\d-\d\d [^/]+\/[^/]+\.html$/;

async function feedbackPages(app, path) {
  if (FEEDBACK_PAGE.test(path)) {
    return [path];
  }
  if (!FEEDBACK_FOLDER.test(path)) {
    return [];
  }
  const folder = await app.serviceManager.contents.get(path, { content: true });
  if (folder.type !== 'directory') {
    return [];
  }
  return folder.content
    .filter(item => item.type === 'file' && item.name.endsWith('.html'))
    .map(item => item.path);
}

async function openFeedback(app, path, navigation) {
  await navigation;  // the file browser first shows the folder, then the page opens beside it
  for (const page of await feedbackPages(app, path)) {
    await app.commands.execute('docmanager:open', { path: page, factory: 'HTML Viewer' });
  }
}

export default {
  id: 'nn-course-feedback:open-feedback',
  description: 'Opens the feedback page when the Assignment List\'s "(view feedback)" is clicked.',
  autoStart: true,
  activate(app) {
    app.commands.commandExecuted.connect((commands, { id, args, result }) => {
      if (id === 'filebrowser:go-to-path' && typeof args.path === 'string') {
        openFeedback(app, args.path, result).catch(error => console.error('nn-course-feedback:', error));
      }
    });
  },
};
