// Materials: the in-page preview of a case's or a pre-review's files, and the applicant look-up at intake.
(function () {
  "use strict";

  function setUpPreview() {
    var pane = document.getElementById("material-preview");
    if (!pane) return;
    var img = document.getElementById("material-preview-img");
    var frame = document.getElementById("material-preview-frame");
    var title = document.getElementById("material-preview-title");
    document.querySelectorAll(".wm-preview").forEach(function (button) {
      button.addEventListener("click", function () {
        var picture = button.dataset.picture === "1";
        title.textContent = "预览：" + button.dataset.name;
        img.hidden = !picture;
        frame.hidden = picture;
        if (picture) {
          img.src = button.dataset.src;
          frame.removeAttribute("src");
        } else {
          frame.src = button.dataset.src;
          img.removeAttribute("src");
        }
        pane.hidden = false;
        pane.scrollIntoView({ block: "nearest" });
      });
    });
    document.getElementById("material-preview-close").addEventListener("click", function () {
      pane.hidden = true;
      img.removeAttribute("src");
      frame.removeAttribute("src");
    });
  }

  function setUpLookup() {
    var box = document.getElementById("applicant-lookup");
    if (!box) return;
    var input = document.getElementById("applicant-lookup-q");
    var list = document.getElementById("applicant-lookup-results");
    var status = document.getElementById("applicant-lookup-status");
    var url = box.dataset.url;
    var timer = null;

    function fill(id, value) {
      var field = document.getElementById(id);
      if (field && value !== undefined && value !== null) field.value = value;
    }

    function pick(id) {
      status.textContent = "正在读取企业信息……";
      fetch(url + "?id=" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) { status.textContent = answer.body.message; return; }
          var e = answer.body.enterprise;
          fill("applicant_kind", "enterprise");
          fill("applicant_name", e.name);
          fill("applicant_uscc", e.uscc);
          fill("contact_name", e.contact_name);
          fill("contact_mobile", e.contact_mobile);
          fill("park_id", String(e.park_id));
          list.innerHTML = "";
          status.textContent = "已填入：" + e.name + "（" + e.uscc + "）。请核对后办理。";
        })
        .catch(function () { status.textContent = "读取失败，请稍后重试或手工填写。"; });
    }

    function search() {
      var q = input.value.trim();
      list.innerHTML = "";
      if (q.length < 2) { status.textContent = "请输入企业名称或统一社会信用代码的至少两个字符。"; return; }
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          var items = body.items || [];
          status.textContent = items.length ? "找到 " + items.length + " 家企业，请选择：" : (body.message || "企业名录中没有匹配的企业，请手工填写。");
          items.forEach(function (e) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "oz-button oz-button-secondary";
            button.textContent = "选择";
            button.addEventListener("click", function () { pick(e.id); });
            li.textContent = e.name + "（" + e.uscc + "）" + e.park_name + (e.contact_name ? " · 联系人 " + e.contact_name + " " + e.contact_mobile_masked : "") + " ";
            li.appendChild(button);
            list.appendChild(li);
          });
        })
        .catch(function () { status.textContent = "查询失败，请稍后重试或手工填写。"; });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 300);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
    if (box.dataset.enterprise) pick(box.dataset.enterprise);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPreview();
    setUpLookup();
  });
})();
