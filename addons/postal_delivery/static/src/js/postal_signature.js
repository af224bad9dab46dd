/** @odoo-module **/
// Signature pads of the handover page: each canvas fills its hidden input with a PNG data URL.

function setupPad(canvas) {
    const input = document.getElementById(canvas.dataset.input);
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 2;
    ctx.lineCap = "round";
    let drawing = false;
    const point = (ev) => {
        const rect = canvas.getBoundingClientRect();
        const src = ev.touches ? ev.touches[0] : ev;
        return [
            ((src.clientX - rect.left) * canvas.width) / rect.width,
            ((src.clientY - rect.top) * canvas.height) / rect.height,
        ];
    };
    const start = (ev) => {
        drawing = true;
        ctx.beginPath();
        ctx.moveTo(...point(ev));
        ev.preventDefault();
    };
    const move = (ev) => {
        if (!drawing) {
            return;
        }
        ctx.lineTo(...point(ev));
        ctx.stroke();
        ev.preventDefault();
    };
    const end = () => {
        if (drawing) {
            drawing = false;
            input.value = canvas.toDataURL("image/png");
        }
    };
    canvas.addEventListener("mousedown", start);
    canvas.addEventListener("mousemove", move);
    window.addEventListener("mouseup", end);
    canvas.addEventListener("touchstart", start);
    canvas.addEventListener("touchmove", move);
    canvas.addEventListener("touchend", end);
    const clear = document.querySelector(`[data-clear="${canvas.id}"]`);
    if (clear) {
        clear.addEventListener("click", () => {
            ctx.clearRect(0, 0, canvas.width, canvas.height);
            input.value = "";
        });
    }
}

document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas.o_postal_signature").forEach(setupPad);
});
